package org.groundflow.workflow.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.workflow.config.GroundflowProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/** Decoding a read's series counts in groundflow.volume.decodes; reading its geometry decodes nothing. */
class SourceVolumesTest {

    private static final SyntheticStudy STUDY = SyntheticStudy.builder().variant("source-volumes").slices(4).build();

    @TempDir
    Path work;

    ReadStore store;
    String readId;

    @BeforeEach
    void retrieved() {
        store = new ReadStore(new GroundflowProperties(work, null, null, null, null, null, null, null, null),
                new ObjectMapper());
        readId = UUID.randomUUID().toString();
        STUDY.writeTo(store.freshSourceDir(readId));
    }

    @Test
    void everyDecodingCountsAndReadingTheGeometryDoesNot() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SourceVolumes volumes = new SourceVolumes(store, new StaticListableBeanFactory(Map.of("meters", registry))
                .getBeanProvider(MeterRegistry.class));

        VolumeGeometry geometry = volumes.geometry(readId, STUDY.studyInstanceUid());
        assertThat(registry.find(SourceVolumes.DECODES).counter()).as("no decoding yet").isNull();
        ImageVolume volume = volumes.load(readId, STUDY.studyInstanceUid());
        volumes.load(readId, STUDY.studyInstanceUid());

        assertThat(registry.get(SourceVolumes.DECODES).counter().count()).isEqualTo(2.0);
        assertThat(geometry).usingRecursiveComparison().isEqualTo(volume.geometry());
        assertThat(geometry.slices()).isEqualTo(4);
    }

    @Test
    void withoutAMeterRegistryTheVolumeIsStillDecoded() {
        SourceVolumes volumes = new SourceVolumes(store, new StaticListableBeanFactory().getBeanProvider(MeterRegistry.class));

        assertThat(volumes.load(readId, STUDY.studyInstanceUid()).voxels()).hasSize(STUDY.columns() * STUDY.rows() * 4);
    }

    @Test
    void aReadWithoutItsSeriesIsAReadFailureNamingStudyAndRead() {
        SourceVolumes volumes = new SourceVolumes(store, new StaticListableBeanFactory().getBeanProvider(MeterRegistry.class));
        String other = UUID.randomUUID().toString();

        assertThatThrownBy(() -> volumes.geometry(other, STUDY.studyInstanceUid())).isInstanceOf(ReadFailure.class)
                .hasMessage("study " + STUDY.studyInstanceUid() + ": read " + other
                        + " has no retrieved series; retrieve it again");
    }
}
