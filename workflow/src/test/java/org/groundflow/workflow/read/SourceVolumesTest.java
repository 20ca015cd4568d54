package org.groundflow.workflow.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.client.DicomWebEndpoint;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.workflow.PacsRequests;
import org.groundflow.workflow.TestServers;
import org.groundflow.workflow.config.GroundflowProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * A read's series comes from this node's cache, retrieved from the PACS (the tests' Orthanc, through the counting
 * proxy) when the node has not cached it: once per node, again after eviction. Decoding counts in
 * groundflow.volume.decodes; reading the geometry decodes nothing.
 */
class SourceVolumesTest {

    private static final SyntheticStudy STUDY = SyntheticStudy.builder().variant("source-volumes").slices(4).build();

    @TempDir
    static Path stored;
    @TempDir
    Path node;
    @TempDir
    Path otherNode;

    DicomWebClient pacs;
    ReadSeries series;

    @BeforeAll
    static void inThePacs() {
        try (DicomWebClient orthanc = new DicomWebClient(TestServers.orthanc().endpoint())) {
            orthanc.store(STUDY.writeTo(stored)).requireAllStored();
        }
    }

    @BeforeEach
    void read() {
        pacs = new DicomWebClient(DicomWebEndpoint.of(TestServers.pacsUrl()));
        series = new ReadSeries(UUID.randomUUID().toString(), STUDY.studyInstanceUid(), STUDY.seriesInstanceUid());
    }

    @AfterEach
    void close() {
        pacs.close();
    }

    private SeriesCache cache(Path workDir) {
        return new SeriesCache(new GroundflowProperties(workDir, null, null, null, null, null, null, null, null, null, null, null),
                pacs);
    }

    private static SourceVolumes volumes(SeriesCache cache, MeterRegistry registry) {
        StaticListableBeanFactory beans = registry == null ? new StaticListableBeanFactory()
                : new StaticListableBeanFactory(Map.of("meters", registry));
        return new SourceVolumes(cache, beans.getBeanProvider(MeterRegistry.class));
    }

    private static long seriesRetrievals(PacsRequests requests, int mark) {
        return requests.since(mark).stream().filter(r -> r.kind() == PacsRequests.Kind.WADO_SERIES).count();
    }

    @Test
    void everyDecodingCountsAndReadingTheGeometryDoesNot() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SourceVolumes volumes = volumes(cache(node), registry);

        VolumeGeometry geometry = volumes.geometry(series);
        assertThat(registry.find(SourceVolumes.DECODES).counter()).as("no decoding yet").isNull();
        ImageVolume volume = volumes.load(series);
        volumes.load(series);

        assertThat(registry.get(SourceVolumes.DECODES).counter().count()).isEqualTo(2.0);
        assertThat(geometry).usingRecursiveComparison().isEqualTo(volume.geometry());
        assertThat(geometry.slices()).isEqualTo(4);
    }

    @Test
    void withoutAMeterRegistryTheVolumeIsStillDecoded() {
        assertThat(volumes(cache(node), null).load(series).voxels()).hasSize(STUDY.columns() * STUDY.rows() * 4);
    }

    @Test
    void eachNodeRetrievesTheSeriesOnceAndAgainOnlyAfterEvictingIt() {
        PacsRequests requests = TestServers.pacsRequests();
        SeriesCache here = cache(node);
        SeriesCache there = cache(otherNode);
        int start = requests.mark();

        here.retrieve(series);
        volumes(here, null).geometry(series);
        volumes(here, null).load(series);
        assertThat(seriesRetrievals(requests, start)).as("retrieved, then read from the cache").isEqualTo(1);

        VolumeGeometry elsewhere = volumes(there, null).geometry(series);
        volumes(there, null).load(series);
        assertThat(seriesRetrievals(requests, start)).as("the other node retrieves it once").isEqualTo(2);
        assertThat(elsewhere.sopInstanceUids()).hasSize(4);
        assertThat(here.cachedReads()).containsExactly(series.readId());

        here.evict(series.readId());
        assertThat(here.cachedReads()).isEmpty();
        assertThat(node.resolve("cache").resolve(series.readId())).doesNotExist();
        volumes(here, null).geometry(series);
        assertThat(seriesRetrievals(requests, start)).as("retrieved again after eviction").isEqualTo(3);
    }

    @Test
    void aScratchFolderIsGoneWhenClosed() throws Exception {
        SeriesCache cache = cache(node);
        Path file;
        try (SeriesCache.Scratch scratch = cache.scratch(series.readId())) {
            file = Files.writeString(scratch.file("seg.dcm"), "SEG");
            assertThat(file).exists();
        }
        assertThat(file).doesNotExist();
        assertThat(file.getParent()).doesNotExist();
    }
}
