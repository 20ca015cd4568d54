package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.ImageVolumeReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.groundflow.dicomweb.seg.RgbColour;
import org.groundflow.dicomweb.seg.SegmentAlgorithmType;
import org.groundflow.dicomweb.seg.SegmentCodes;
import org.groundflow.dicomweb.seg.SegmentDescription;
import org.groundflow.dicomweb.seg.Segmentation;
import org.groundflow.dicomweb.seg.SegmentationContent;
import org.groundflow.dicomweb.seg.SegmentationReader;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.testing.DemoStudyFiles;
import org.groundflow.dicomweb.testing.OrthancServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The client against a real Orthanc: STOW the demo study, QIDO, WADO, volume, then a SEG through the same path. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrthancDicomWebTest {

    @RegisterExtension
    static OrthancServer orthanc = new OrthancServer();

    @TempDir
    static Path temp;

    static DicomWebClient client;
    static ImageVolume retrieved;

    @BeforeAll
    static void storeDemoStudy() {
        client = new DicomWebClient(orthanc.endpoint());
        StoreResult result = client.store(DemoStudyFiles.get());
        assertThat(result.failed()).isEmpty();
        assertThat(result.stored()).hasSize(SyntheticStudy.DEMO_SLICES);
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    @Test
    @Order(1)
    void stowReportsEveryInstanceWithItsRetrieveUrl() {
        StoreResult again = client.store(DemoStudyFiles.get().subList(0, 2));

        assertThat(again.requireAllStored().stored())
                .extracting(StoreResult.StoredInstance::sopInstanceUid)
                .containsExactly(SyntheticStudy.demo().sopInstanceUid(0), SyntheticStudy.demo().sopInstanceUid(1));
        assertThat(again.stored().get(0).retrieveUrl()).contains(SyntheticStudy.STUDY_INSTANCE_UID.value());
    }

    @Test
    @Order(2)
    void qidoFindsTheStudyAndItsSeries() {
        Optional<StudyRecord> study = client.findStudy(SyntheticStudy.STUDY_INSTANCE_UID);

        assertThat(study).isPresent();
        assertThat(study.get().accessionNumber()).isEqualTo(SyntheticStudy.ACCESSION_NUMBER);
        assertThat(study.get().modalitiesInStudy()).contains("CT");
        assertThat(study.get().numberOfStudyRelatedInstances()).hasValue(SyntheticStudy.DEMO_SLICES);
        assertThat(study.get().toString()).doesNotContain("Groundflow^Demo");

        List<SeriesRecord> series = client.searchSeries(SyntheticStudy.STUDY_INSTANCE_UID);
        assertThat(series).singleElement().satisfies(s -> {
            assertThat(s.seriesInstanceUid()).isEqualTo(SyntheticStudy.SERIES_INSTANCE_UID);
            assertThat(s.modality()).isEqualTo("CT");
            assertThat(s.seriesNumber()).hasValue(1);
            assertThat(s.numberOfSeriesRelatedInstances()).hasValue(SyntheticStudy.DEMO_SLICES);
        });
        assertThat(client.searchStudies(Map.of("AccessionNumber", SyntheticStudy.ACCESSION_NUMBER)))
                .extracting(StudyRecord::studyInstanceUid).containsExactly(SyntheticStudy.STUDY_INSTANCE_UID);
    }

    @Test
    @Order(3)
    void qidoFindsNothingForAnUnknownStudy() {
        Uid unknown = Uid.of("2.25.1234567");

        assertThat(client.findStudy(unknown)).isEmpty();
        assertThat(client.searchSeries(unknown)).isEmpty();
    }

    @Test
    @Order(4)
    void wadoRetrievesTheSeriesIntoAVolumeThatMatchesThePhantom() {
        List<Path> files = client.retrieveSeries(SyntheticStudy.STUDY_INSTANCE_UID, SyntheticStudy.SERIES_INSTANCE_UID,
                temp.resolve("ct"));

        assertThat(files).hasSize(SyntheticStudy.DEMO_SLICES).allSatisfy(file -> assertThat(file).isRegularFile());
        retrieved = ImageVolumeReader.read(files);
        assertThat(retrieved.studyInstanceUid()).isEqualTo(SyntheticStudy.STUDY_INSTANCE_UID);
        assertThat(retrieved.slices()).isEqualTo(SyntheticStudy.DEMO_SLICES);
        assertThat(retrieved.sliceSpacing()).isCloseTo(2.5, within(1e-6));
        assertThat(retrieved.slicePositions().get(0)[2]).isCloseTo(-60, within(1e-6));
        // nodule A centre (-80, -20, 20): column 74.17, row 114.17, slice 32
        assertThat(retrieved.voxel(74, 114, 32)).isCloseTo(35f, within(50f));
        assertThat(retrieved.voxel(177, 124, 24)).isCloseTo(-850f, within(50f));
        assertThat(retrieved.study().patientId()).isEqualTo(SyntheticStudy.PATIENT_ID);

        List<Path> shuffled = new ArrayList<>(files);
        Collections.shuffle(shuffled, new Random(11));
        ImageVolume fromShuffled = ImageVolumeReader.read(shuffled);
        assertThat(fromShuffled.sopInstanceUids()).containsExactlyElementsOf(retrieved.sopInstanceUids());
        assertThat(fromShuffled.voxels()).isEqualTo(retrieved.voxels());
        assertThat(retrieved.voxels()).isEqualTo(ImageVolumeReader.read(DemoStudyFiles.get()).voxels());
    }

    @Test
    @Order(5)
    void aSegmentationTravelsThroughStowQidoAndWado() {
        SyntheticStudy demo = SyntheticStudy.demo();
        Segmentation seg = Segmentation.builder(retrieved)
                .seriesInstanceUid(Uid.of("2.25.9001"))
                .sopInstanceUid(Uid.of("2.25.9002"))
                .seriesNumber(300)
                .algorithm("groundflow-demo-unet", "1.0.0", "Groundflow")
                .segment(new SegmentDescription(1, "Nodule", SegmentCodes.MORPHOLOGICALLY_ABNORMAL_STRUCTURE,
                        SegmentCodes.NODULE, SegmentAlgorithmType.AUTOMATIC, new RgbColour(230, 159, 0)), demo.labelMask(1))
                .build();
        Path file = seg.write(temp.resolve("seg.dcm"));

        client.store(List.of(file)).requireAllStored();

        assertThat(client.searchSeries(SyntheticStudy.STUDY_INSTANCE_UID))
                .filteredOn(s -> s.modality().equals("SEG"))
                .singleElement()
                .satisfies(s -> assertThat(s.seriesInstanceUid()).isEqualTo(seg.seriesInstanceUid()));
        List<Path> back = client.retrieveSeries(SyntheticStudy.STUDY_INSTANCE_UID, seg.seriesInstanceUid(), temp.resolve("seg"));
        SegmentationContent content = SegmentationReader.read(back.get(0));
        assertThat(content.referencedSeriesInstanceUid()).isEqualTo(SyntheticStudy.SERIES_INSTANCE_UID);
        assertThat(content.segments()).extracting(SegmentDescription::label).containsExactly("Nodule");
        assertThat(content.mask(1, retrieved)).isEqualTo(demo.labelMask(1));
    }
}
