package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.DicomWebStatusException;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.format.DicomDataSet;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.ImageVolumeReader;
import org.groundflow.dicomweb.volume.SliceSource;
import org.groundflow.dicomweb.volume.SourcedVolume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.testing.EnhancedCtFixture;
import org.groundflow.dicomweb.testing.OrthancServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;

/**
 * Every QIDO-RS, WADO-RS and STOW-RS call against a real Orthanc (started and stopped by PID): one small CT series
 * and five one-slice studies, stored, searched, retrieved whole, by instance, by frame, as metadata and in other
 * transfer syntaxes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrthancQueryRetrieveTest {

    @RegisterExtension
    static OrthancServer orthanc = new OrthancServer();

    @TempDir
    static Path temp;

    private static final SyntheticStudy CT = SyntheticStudy.builder().variant("orthanc-qr").slices(6).size(64).build();
    private static final List<SyntheticStudy> OTHERS = new ArrayList<>();
    private static DicomWebClient client;
    private static List<Path> ctFiles;
    private static ImageVolume ctVolume;

    @BeforeAll
    static void writeStudies() {
        client = new DicomWebClient(orthanc.endpoint());
        ctFiles = CT.writeTo(temp.resolve("source-ct"));
        ctVolume = ImageVolumeReader.read(ctFiles);
        for (int i = 0; i < 5; i++) {
            OTHERS.add(SyntheticStudy.builder().variant("orthanc-qr-" + i).slices(1).size(32).withoutLesions().build());
        }
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    @Test
    @Order(1)
    void stowStoresManyInstancesOrOneAndReportsARefusalPerInstance() {
        StoreResult many = client.store(ctFiles).requireAllStored();
        assertThat(many.stored()).hasSize(6).allSatisfy(s -> assertThat(s.retrieveUrl()).contains(CT.studyInstanceUid().value()));

        for (SyntheticStudy other : OTHERS) {
            Path file = other.writeTo(temp.resolve("source-" + other.studyInstanceUid())).get(0);
            assertThat(client.store(file).requireAllStored().stored()).singleElement()
                    .satisfies(s -> assertThat(s.sopInstanceUid()).isEqualTo(other.sopInstanceUid(0)));
        }

        assertThat(client.store(CT.studyInstanceUid(), ctFiles.subList(0, 1)).isComplete()).isTrue();
        StoreResult wrongStudy = client.store(OTHERS.get(0).studyInstanceUid(), ctFiles.subList(0, 1));
        assertThat(wrongStudy.stored()).isEmpty();
        assertThat(wrongStudy.failed()).singleElement().satisfies(f -> {
            assertThat(f.sopInstanceUid()).isEqualTo(CT.sopInstanceUid(0).value());
            assertThat(f.reason()).isEqualTo("processing failure (0x0110)");
        });
    }

    @Test
    @Order(2)
    void qidoMatchesAttributesAndDateRanges() {
        assertThat(client.searchStudies(QidoQuery.all().withMatch("StudyInstanceUID", CT.studyInstanceUid())))
                .singleElement().satisfies(study -> {
                    assertThat(study.numberOfStudyRelatedInstances()).hasValue(6);
                    assertThat(study.modalitiesInStudy()).containsExactly("CT");
                    assertThat(study.studyDate()).hasValue(LocalDate.of(2024, 6, 11));
                });
        assertThat(client.searchStudies(QidoQuery.all()
                .withDateRange("StudyDate", LocalDate.of(2024, 6, 1), LocalDate.of(2024, 6, 30)))).hasSize(6);
        assertThat(client.searchStudies(QidoQuery.all().withDateRange("StudyDate", LocalDate.of(2024, 7, 1), null))).isEmpty();
        assertThat(client.searchStudies(QidoQuery.all().withMatch("PatientID", SyntheticStudy.PATIENT_ID)
                .withMatch("ModalitiesInStudy", "CT"))).hasSize(6);
        assertThat(client.searchStudies(QidoQuery.all().withMatch("PatientID", "nobody"))).isEmpty();
    }

    @Test
    @Order(3)
    void qidoFollowsPagesToTheEndOrToTheMaximum() {
        List<StudyRecord> all = client.searchStudies(QidoQuery.all().withPageSize(2));

        assertThat(all).hasSize(6).extracting(StudyRecord::studyInstanceUid).doesNotHaveDuplicates()
                .contains(CT.studyInstanceUid(), OTHERS.get(4).studyInstanceUid());
        assertThat(client.searchStudies(QidoQuery.all().withPageSize(2).withMaxResults(3))).hasSize(3);
        assertThat(client.searchInstances(CT.studyInstanceUid(), CT.seriesInstanceUid(), QidoQuery.all().withPageSize(4)))
                .hasSize(6);
    }

    @Test
    @Order(4)
    void qidoReturnsIncludeFieldsOnlyWhenAsked() {
        QidoQuery ct = QidoQuery.all().withMatch("StudyInstanceUID", CT.studyInstanceUid());

        assertThat(client.searchStudies(ct).get(0).studyDescription()).isEmpty();
        assertThat(client.searchStudies(ct.withIncludeFields("StudyDescription")).get(0).studyDescription())
                .hasValue(SyntheticStudy.STUDY_DESCRIPTION);
    }

    @Test
    @Order(5)
    void qidoFindsSeriesAndInstancesAtEveryLevel() {
        assertThat(client.searchSeries(QidoQuery.all().withMatch("SeriesInstanceUID", CT.seriesInstanceUid())))
                .singleElement().satisfies(series -> {
                    assertThat(series.studyInstanceUid()).hasValue(CT.studyInstanceUid());
                    assertThat(series.modality()).isEqualTo("CT");
                    assertThat(series.numberOfSeriesRelatedInstances()).hasValue(6);
                });
        List<InstanceRecord> instances = client.searchInstances(CT.studyInstanceUid(), CT.seriesInstanceUid(), QidoQuery.all());
        assertThat(instances).extracting(i -> i.instanceNumber().getAsInt()).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6);
        assertThat(instances).allSatisfy(i -> assertThat(i.sopClassUid()).isEqualTo(Uid.of("1.2.840.10008.5.1.4.1.1.2")));
        assertThat(client.searchInstances(CT.studyInstanceUid(), QidoQuery.all().withMatch("InstanceNumber", "3")))
                .singleElement().satisfies(i -> assertThat(i.sopInstanceUid()).isEqualTo(CT.sopInstanceUid(2)));
        assertThat(client.searchInstances(QidoQuery.all().withMatch("SOPInstanceUID", OTHERS.get(2).sopInstanceUid(0))))
                .singleElement().satisfies(i -> assertThat(i.studyInstanceUid()).isEqualTo(OTHERS.get(2).studyInstanceUid()));
    }

    @Test
    @Order(6)
    void wadoRetrievesAStudyAnInstanceAndMetadata() {
        List<Path> study = client.retrieveStudy(CT.studyInstanceUid(), temp.resolve("study"));
        assertThat(ImageVolumeReader.read(study).voxels()).isEqualTo(ctVolume.voxels());

        Path instance = client.retrieveInstance(CT.studyInstanceUid(), CT.seriesInstanceUid(), CT.sopInstanceUid(5),
                temp.resolve("instance/5.dcm"));
        assertThat(ImageVolumeReader.read(List.of(instance)).sopInstanceUids()).containsExactly(CT.sopInstanceUid(5));

        List<DicomDataSet> metadata = client.retrieveStudyMetadata(CT.studyInstanceUid());
        assertThat(metadata).hasSize(6).allSatisfy(m -> {
            assertThat(m.integer("Rows")).hasValue(64);
            assertThat(m.bulkDataUri("PixelData")).hasValueSatisfying(uri -> assertThat(uri).contains("/bulk/"));
        });
        assertThat(client.retrieveSeriesMetadata(CT.studyInstanceUid(), CT.seriesInstanceUid())).hasSize(6);
        DicomDataSet one = client.retrieveInstanceMetadata(CT.studyInstanceUid(), CT.seriesInstanceUid(), CT.sopInstanceUid(2));
        assertThat(one.uid("SOPInstanceUID")).hasValue(CT.sopInstanceUid(2));
        assertThat(one.strings("ImagePositionPatient")).hasSize(3);
        assertThat(Double.parseDouble(one.strings("ImagePositionPatient").get(2))).isCloseTo(CT.z(2), within(1e-6));
    }

    @Test
    @Order(7)
    void wadoRetrievesAFrameAsUncompressedPixels() throws Exception {
        List<Frame> frames = client.retrieveFrames(CT.studyInstanceUid(), CT.seriesInstanceUid(), CT.sopInstanceUid(1), List.of(1));

        assertThat(frames).singleElement().satisfies(frame -> {
            assertThat(frame.mediaType()).isEqualTo("application/octet-stream");
            assertThat(frame.data()).hasSize(64 * 64 * 2);
        });
        short[] expected = pixels(ctFiles.get(1));
        short[] actual = new short[expected.length];
        ByteBuffer.wrap(frames.get(0).data()).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(actual);
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    @Order(8)
    void jpegLosslessIsNegotiatedAndDecodesToTheSameVolume() throws Exception {
        List<Path> files = client.retrieveSeries(CT.studyInstanceUid(), CT.seriesInstanceUid(),
                TransferSyntaxPreference.of(TransferSyntaxPreference.JPEG_LOSSLESS_SV1), temp.resolve("jpeg-lossless"));

        assertThat(files).hasSize(6).allSatisfy(file -> assertThat(transferSyntax(file)).isEqualTo(TransferSyntaxPreference.JPEG_LOSSLESS_SV1.value()));
        ImageVolume volume = ImageVolumeReader.read(files);
        assertThat(volume.voxels()).isEqualTo(ctVolume.voxels());
        assertThat(volume.sopInstanceUids()).isEqualTo(ctVolume.sopInstanceUids());
    }

    @Test
    @Order(9)
    void aTransferSyntaxTheServerCannotProduceIsAStatusErrorNamingTheUrl() {
        assertThatThrownBy(() -> client.retrieveSeries(CT.studyInstanceUid(), CT.seriesInstanceUid(),
                TransferSyntaxPreference.of(TransferSyntaxPreference.RLE_LOSSLESS), temp.resolve("rle")))
                .asInstanceOf(type(DicomWebStatusException.class))
                .satisfies(e -> {
                    assertThat(e.status()).isEqualTo(500); // Orthanc's answer; the standard says 406
                    assertThat(e.url()).isEqualTo(orthanc.dicomWebUrl() + "/studies/" + CT.studyInstanceUid()
                            + "/series/" + CT.seriesInstanceUid());
                });
    }

    @Test
    @Order(10)
    void jpegBaselineOfEightBitImagesDecodesWithinTheLossyTolerance() throws Exception {
        SyntheticStudy source = SyntheticStudy.builder().variant("orthanc-qr-8bit").slices(3).size(64).build();
        List<Path> eightBit = source.writeTo(temp.resolve("source-8bit"));
        for (Path file : eightBit) {
            toEightBit(file);
        }
        ImageVolume original = ImageVolumeReader.read(eightBit);
        client.store(eightBit).requireAllStored();

        List<Path> files = client.retrieveSeries(source.studyInstanceUid(), source.seriesInstanceUid(),
                TransferSyntaxPreference.of(TransferSyntaxPreference.JPEG_BASELINE), temp.resolve("jpeg-baseline"));

        assertThat(files).allSatisfy(file -> assertThat(transferSyntax(file)).isEqualTo(TransferSyntaxPreference.JPEG_BASELINE.value()));
        ImageVolume decoded = ImageVolumeReader.read(files);
        double meanError = 0;
        for (int i = 0; i < decoded.voxels().length; i++) {
            meanError += Math.abs(decoded.voxels()[i] - original.voxels()[i]);
        }
        meanError /= decoded.voxels().length;
        assertThat(meanError).as("mean absolute error in HU (8 HU per stored step)").isLessThan(16.0);
        // lossy compression makes new instances (PS3.3 C.12.1.1.5): Orthanc gives them new SOP Instance UIDs, so a
        // result that refers to its source images must be built from losslessly retrieved ones
        assertThat(decoded.sopInstanceUids()).doesNotContainAnyElementsOf(original.sopInstanceUids());
    }

    @Test
    @Order(11)
    void anEnhancedMultiFrameImageTravelsWholeAndByFrame() throws Exception {
        Path enhanced = EnhancedCtFixture.write(ctFiles, "2.25.77001", temp.resolve("enhanced.dcm"));
        client.store(enhanced).requireAllStored();
        Uid instance = Uid.of("2.25.77001");

        Path back = client.retrieveInstance(CT.studyInstanceUid(), CT.seriesInstanceUid(), instance, temp.resolve("enhanced-back.dcm"));
        SourcedVolume volume = ImageVolumeReader.readSourced(List.of(back));
        assertThat(volume.volume().voxels()).isEqualTo(ctVolume.voxels());
        assertThat(volume.sources()).extracting(SliceSource::frameNumber).containsExactly(1, 2, 3, 4, 5, 6);

        List<Frame> frames = client.retrieveFrames(CT.studyInstanceUid(), CT.seriesInstanceUid(), instance, List.of(5, 2));
        assertThat(frames).extracting(Frame::number).containsExactly(5, 2);
        short[] fifth = new short[64 * 64];
        ByteBuffer.wrap(frames.get(0).data()).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(fifth);
        assertThat(fifth).isEqualTo(pixels(ctFiles.get(4)));
    }

    private static short[] pixels(Path file) throws Exception {
        AttributeList list = new AttributeList();
        list.read(new File(file.toString()));
        return list.getPixelData().getShortValues();
    }

    private static String transferSyntax(Path file) {
        AttributeList list = new AttributeList();
        try {
            list.read(new File(file.toString()), TagFromName.PixelData);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Attribute.getSingleStringValueOrEmptyString(list, TagFromName.TransferSyntaxUID);
    }

    /** Rewrites a 16-bit CT slice as 8 bits: stored = (HU + 1000) / 8, rescaled back by slope 8, intercept -1000. */
    private static void toEightBit(Path file) throws Exception {
        AttributeList list = new AttributeList();
        list.read(new File(file.toString()));
        short[] words = list.getPixelData().getShortValues();
        double intercept = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleIntercept, 0);
        byte[] bytes = new byte[words.length];
        for (int i = 0; i < words.length; i++) {
            double hu = words[i] + intercept;
            bytes[i] = (byte) Math.max(0, Math.min(255, Math.round((hu + 1000) / 8)));
        }
        OtherByteAttribute pixelData = new OtherByteAttribute(TagFromName.PixelData);
        pixelData.setValues(bytes);
        list.put(pixelData);
        set(list, TagFromName.BitsAllocated, "8");
        set(list, TagFromName.BitsStored, "8");
        set(list, TagFromName.HighBit, "7");
        set(list, TagFromName.PixelRepresentation, "0");
        set(list, TagFromName.RescaleSlope, "8");
        set(list, TagFromName.RescaleIntercept, "-1000");
        list.write(new File(file.toString()), TransferSyntax.ExplicitVRLittleEndian, true, true);
    }

    private static void set(AttributeList list, com.pixelmed.dicom.AttributeTag tag, String value) throws Exception {
        Attribute attribute = list.get(tag);
        attribute.removeValues();
        attribute.addValue(value);
    }
}
