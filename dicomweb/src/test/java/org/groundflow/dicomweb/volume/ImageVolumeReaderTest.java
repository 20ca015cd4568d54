package org.groundflow.dicomweb.volume;

import org.groundflow.dicomweb.Uid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.testing.DemoStudyFiles;
import org.groundflow.dicomweb.testing.EnhancedCtFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;

class ImageVolumeReaderTest {

    /** Noise σ is 12 HU; 5σ keeps single-voxel checks stable. */
    private static final float NOISE = 60f;

    private static ImageVolume demo;
    private static final SyntheticStudy SMALL = SyntheticStudy.builder().variant("reader-test").slices(6).z0(-5).build();

    @TempDir
    Path temp;

    @BeforeAll
    static void readDemo() {
        demo = ImageVolumeReader.read(DemoStudyFiles.get());
    }

    @Test
    void geometryMatchesThePhantom() {
        assertThat(demo.columns()).isEqualTo(256);
        assertThat(demo.rows()).isEqualTo(256);
        assertThat(demo.slices()).isEqualTo(48);
        assertThat(demo.rowSpacing()).isEqualTo(1.5);
        assertThat(demo.columnSpacing()).isEqualTo(1.5);
        assertThat(demo.sliceSpacing()).isCloseTo(2.5, within(1e-9));
        assertThat(demo.rowDirection()).containsExactly(1, 0, 0);
        assertThat(demo.columnDirection()).containsExactly(0, 1, 0);
        assertThat(demo.sliceNormal()).containsExactly(0, 0, 1);
        assertThat(demo.patientPosition(0, 0, 0)).containsExactly(-191.25, -191.25, -60);
        assertThat(demo.patientPosition(10, 20, 47)).containsExactly(-176.25, -161.25, 57.5);
        assertThat(demo.modality()).isEqualTo("CT");
        assertThat(demo.sopClassUid()).isEqualTo(Uid.of("1.2.840.10008.5.1.4.1.1.2"));
        assertThat(demo.frameOfReferenceUid()).isEqualTo(SyntheticStudy.FRAME_OF_REFERENCE_UID);
        assertThat(demo.seriesInstanceUid()).isEqualTo(SyntheticStudy.SERIES_INSTANCE_UID);
        for (int z = 0; z < demo.slices(); z++) {
            assertThat(demo.sopInstanceUids().get(z)).isEqualTo(SyntheticStudy.demo().sopInstanceUid(z));
        }
    }

    @Test
    void valuesAreHounsfieldUnitsMatchingThePhantom() {
        // voxel (i, j, k) lies at x = -191.25 + 1.5 i, y = -191.25 + 1.5 j, z = -60 + 2.5 k
        assertThat(demo.voxel(74, 114, 32)).as("nodule A (-80, -20, 20)").isCloseTo(35f, within(NOISE));
        assertThat(demo.voxel(184, 147, 40)).as("nodule B (85, 30, 40)").isCloseTo(35f, within(NOISE));
        assertThat(demo.voxel(87, 134, 8)).as("liver lesion (-60, 10, -40)").isCloseTo(40f, within(NOISE));
        assertThat(demo.voxel(177, 124, 40)).as("left lung (75, -5, 40)").isCloseTo(-850f, within(NOISE));
        assertThat(demo.voxel(127, 174, 40)).as("spine (0, 70)").isCloseTo(300f, within(NOISE));
        assertThat(demo.voxel(0, 0, 0)).as("air outside the body").isEqualTo(-1000f);
        assertThat(mean(demo, 87, 154, 8)).as("mean liver (-60, 40, -40)").isCloseTo(110.0, within(3.0));
    }

    @Test
    void studyContextComesFromTheFiles() {
        assertThat(demo.study().patientName()).isEqualTo("Groundflow^Demo");
        assertThat(demo.study().patientId()).isEqualTo("GF-DEMO-0001");
        assertThat(demo.study().accessionNumber()).isEqualTo("GFDEMO0001");
        assertThat(demo.study().studyDescription()).isEqualTo("Synthetic chest CT (Groundflow demo)");
    }

    @Test
    void issuerOfPatientIdComesFromTheFilesAndIsEmptyWhenTheyNameNone() throws Exception {
        List<Path> files = SMALL.writeTo(temp);
        ImageVolume without = ImageVolumeReader.read(files);
        for (Path file : files) {
            rewrite(file, list -> {
                Attribute issuer = new LongStringAttribute(TagFromName.IssuerOfPatientID);
                issuer.addValue("HOSPITAL-A ");
                list.put(issuer);
            });
        }

        ImageVolume with = ImageVolumeReader.read(files);

        assertThat(demo.study().issuerOfPatientId()).isEmpty();
        assertThat(without.study().issuerOfPatientId()).isEmpty();
        assertThat(with.study().issuerOfPatientId()).isEqualTo("HOSPITAL-A");
    }

    @Test
    void slicesAreSortedByPositionNotByFileOrderOrInstanceNumber() throws Exception {
        List<Path> files = SMALL.writeTo(temp);
        ImageVolume ordered = ImageVolumeReader.read(files);
        for (int k = 0; k < files.size(); k++) {
            int reversed = files.size() - k;
            rewrite(files.get(k), list -> putInteger(list, TagFromName.InstanceNumber, reversed));
        }
        List<Path> shuffled = new ArrayList<>(files);
        Collections.shuffle(shuffled, new Random(7));

        ImageVolume fromShuffled = ImageVolumeReader.read(shuffled);

        assertThat(fromShuffled.voxels()).isEqualTo(ordered.voxels());
        assertThat(fromShuffled.sopInstanceUids()).containsExactlyElementsOf(ordered.sopInstanceUids());
        assertThat(fromShuffled.slicePositions().get(0)[2]).isEqualTo(-5);
    }

    @Test
    void rescaleSlopeAndInterceptArePerSlice() throws Exception {
        List<Path> files = SMALL.writeTo(temp);
        ImageVolume plain = ImageVolumeReader.read(files);
        rewrite(files.get(2), list -> {
            putDecimal(list, TagFromName.RescaleSlope, 2);
            putDecimal(list, TagFromName.RescaleIntercept, -2048);
        });

        ImageVolume rescaled = ImageVolumeReader.read(files);

        assertThat(rescaled.voxel(100, 120, 2)).isEqualTo(2 * plain.voxel(100, 120, 2));
        assertThat(rescaled.voxel(100, 120, 1)).isEqualTo(plain.voxel(100, 120, 1));
    }

    @Test
    void rejectsMixedOrientations() throws Exception {
        List<Path> files = SMALL.writeTo(temp);
        rewrite(files.get(3), list -> putDecimal(list, TagFromName.ImageOrientationPatient, 0, 1, 0, 1, 0, 0));

        assertVolumeError(files, "mixed orientations: instance " + SMALL.sopInstanceUid(3));
    }

    @Test
    void rejectsInconsistentSizes() throws Exception {
        List<Path> files = SMALL.writeTo(temp);
        rewrite(files.get(1), list -> {
            putInteger(list, TagFromName.Rows, 128);
            putInteger(list, TagFromName.Columns, 128);
        });

        assertVolumeError(files, "inconsistent sizes: instance " + SMALL.sopInstanceUid(1) + " is 128x128");
    }

    @Test
    void rejectsDuplicatedPositions() throws Exception {
        List<Path> files = SMALL.writeTo(temp);
        rewrite(files.get(4), list -> putDecimal(list, TagFromName.ImagePositionPatient, -191.25, -191.25, SMALL.z(3)));

        assertVolumeError(files, "duplicated position");
    }

    @Test
    void rejectsAMissingSlice() {
        List<Path> files = new ArrayList<>(SMALL.writeTo(temp));
        files.remove(2);

        assertVolumeError(files, "uneven slice spacing: 5.000 mm between instance " + SMALL.sopInstanceUid(1)
                + " and instance " + SMALL.sopInstanceUid(3) + ", 2.500 mm elsewhere (missing slice?)");
    }

    @Test
    void rejectsUndecodablePixelData() throws Exception {
        List<Path> files = SMALL.writeTo(temp);
        rewrite(files.get(0), list -> {
            OtherWordAttribute truncated = new OtherWordAttribute(TagFromName.PixelData);
            truncated.setValues(new short[10]);
            list.put(truncated);
        });

        assertVolumeError(files, "undecodable pixel data in instance " + SMALL.sopInstanceUid(0));
    }

    @Test
    void theGeometryAloneIsReadWithoutDecodingPixelData() throws Exception {
        List<Path> files = SMALL.writeTo(temp);
        VolumeGeometry decoded = ImageVolumeReader.read(files).geometry();
        rewrite(files.get(0), list -> {
            OtherWordAttribute truncated = new OtherWordAttribute(TagFromName.PixelData);
            truncated.setValues(new short[10]);
            list.put(truncated);
        });

        VolumeGeometry geometry = ImageVolumeReader.readGeometry(files);

        assertThat(geometry).usingRecursiveComparison().isEqualTo(decoded);
        assertThat(geometry.slices()).isEqualTo(6);
        assertThat(geometry.study().patientId()).isEqualTo(decoded.study().patientId()).isNotBlank();
        assertThat(geometry.patientPosition(10, 20, 5)).containsExactly(decoded.patientPosition(10, 20, 5));
        assertThatThrownBy(() -> ImageVolumeReader.read(files)).isInstanceOf(VolumeException.class)
                .hasMessageContaining("undecodable pixel data");
    }

    @Test
    void theGeometryIsCheckedAsTheVolumeIs() throws Exception {
        List<Path> files = SMALL.writeTo(temp);
        rewrite(files.get(3), list -> putDecimal(list, TagFromName.ImageOrientationPatient, 0, 1, 0, 1, 0, 0));

        assertThatThrownBy(() -> ImageVolumeReader.readGeometry(files)).isInstanceOf(VolumeException.class)
                .hasMessageContaining("mixed orientations: instance " + SMALL.sopInstanceUid(3));
        assertThatThrownBy(() -> ImageVolumeReader.readGeometry(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("files must not be empty");
    }

    @Test
    void rejectsFilesOfAnotherSeries() throws Exception {
        List<Path> files = SMALL.writeTo(temp);
        rewrite(files.get(5), list -> putString(list, TagFromName.SeriesInstanceUID, "2.25.77"));

        assertVolumeError(files, "mixed SeriesInstanceUID");
    }

    @Test
    void anEnhancedMultiFrameCtGivesTheSameVolumeAsItsSingleFrames() throws Exception {
        List<Path> files = SMALL.writeTo(temp.resolve("single"));
        ImageVolume single = ImageVolumeReader.read(files);
        List<Path> frameOrder = List.of(files.get(3), files.get(0), files.get(5), files.get(1), files.get(4), files.get(2));
        Path enhanced = EnhancedCtFixture.write(frameOrder, "2.25.4242", temp.resolve("enhanced.dcm"));

        SourcedVolume read = ImageVolumeReader.readSourced(List.of(enhanced));

        ImageVolume volume = read.volume();
        assertThat(volume.sopClassUid()).isEqualTo(Uid.of(EnhancedCtFixture.ENHANCED_CT_IMAGE_STORAGE));
        assertThat(volume.voxels()).isEqualTo(single.voxels());
        assertThat(volume.sliceSpacing()).isCloseTo(single.sliceSpacing(), within(1e-9));
        assertThat(volume.rowSpacing()).isEqualTo(single.rowSpacing());
        assertThat(volume.frameOfReferenceUid()).isEqualTo(single.frameOfReferenceUid());
        assertThat(volume.slicePositions().get(5)).containsExactly(single.slicePositions().get(5));
        assertThat(volume.sopInstanceUids()).containsOnly(Uid.of("2.25.4242"));
        // slice z came from the frame that holds file z
        assertThat(read.sources()).extracting(SliceSource::frameNumber).containsExactly(2, 4, 6, 1, 5, 3);
        assertThat(read.fromMultiFrameImages()).isTrue();
        assertThat(ImageVolumeReader.readSourced(files).fromMultiFrameImages()).isFalse();
    }

    @Test
    void aMultiFrameImageWithoutPerFrameGeometryIsRejected() throws Exception {
        List<Path> files = SMALL.writeTo(temp.resolve("single"));
        Path enhanced = EnhancedCtFixture.write(files, "2.25.4243", temp.resolve("enhanced.dcm"));
        rewrite(enhanced, list -> list.remove(EnhancedCtFixture.PER_FRAME_GROUPS));

        assertVolumeError(List.of(enhanced), "instance 2.25.4243 has 6 frames but no per-frame functional groups");
    }

    @Test
    void aTruncatedMultiFrameImageNamesTheFrame() throws Exception {
        List<Path> files = SMALL.writeTo(temp.resolve("single"));
        Path enhanced = EnhancedCtFixture.write(files, "2.25.4244", temp.resolve("enhanced.dcm"));
        rewrite(enhanced, list -> {
            OtherWordAttribute shorter = new OtherWordAttribute(TagFromName.PixelData);
            shorter.setValues(new short[256 * 256 * 5]);
            list.put(shorter);
        });

        assertVolumeError(List.of(enhanced), "expected for frame 6");
    }

    @Test
    void aVolumeLargerThanTheHeapIsATypedErrorNotAnOutOfMemoryError() throws Exception {
        List<Path> files = SMALL.writeTo(temp);
        rewrite(files.get(0), list -> {
            putInteger(list, TagFromName.Rows, 50000);
            putInteger(list, TagFromName.Columns, 50000);
        });
        assertThatThrownBy(() -> ImageVolumeReader.read(files.subList(0, 1)))
                .isInstanceOf(VolumeException.class)
                .hasMessageContaining("2500000000 voxels (50000x50000x1), more than one array can");

        long side = (long) Math.ceil(Math.sqrt(Runtime.getRuntime().maxMemory() / 4.0)) + 1;
        if (side * side < Integer.MAX_VALUE - 8) {
            rewrite(files.get(1), list -> {
                putInteger(list, TagFromName.Rows, (int) side);
                putInteger(list, TagFromName.Columns, (int) side);
            });
            assertThatThrownBy(() -> ImageVolumeReader.read(files.subList(1, 2)))
                    .isInstanceOf(VolumeException.class)
                    .hasMessageContaining("MB; the heap has about");
        }
    }

    @Test
    void rejectsAnEmptyList() {
        assertThatThrownBy(() -> ImageVolumeReader.read(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("files must not be empty");
    }

    private static void assertVolumeError(List<Path> files, String reason) {
        assertThatThrownBy(() -> ImageVolumeReader.read(files))
                .isInstanceOf(VolumeException.class)
                .hasMessageStartingWith("Series " + SMALL.seriesInstanceUid() + ": ")
                .hasMessageContaining(reason);
    }

    private static double mean(ImageVolume volume, int x, int y, int z) {
        double sum = 0;
        for (int dy = -5; dy < 5; dy++) {
            for (int dx = -5; dx < 5; dx++) {
                sum += volume.voxel(x + dx, y + dy, z);
            }
        }
        return sum / 100;
    }

    interface Edit {
        void apply(AttributeList list) throws Exception;
    }

    static void rewrite(Path file, Edit edit) throws Exception {
        AttributeList list = new AttributeList();
        list.read(file.toFile());
        edit.apply(list);
        list.write(new File(file.toString()), TransferSyntax.ExplicitVRLittleEndian, true, true);
    }

    private static void putDecimal(AttributeList list, com.pixelmed.dicom.AttributeTag tag, double... values) throws Exception {
        Attribute attribute = list.get(tag);
        attribute.removeValues();
        for (double value : values) {
            attribute.addValue(value);
        }
    }

    private static void putInteger(AttributeList list, com.pixelmed.dicom.AttributeTag tag, int value) throws Exception {
        Attribute attribute = list.get(tag);
        attribute.removeValues();
        attribute.addValue(value);
    }

    private static void putString(AttributeList list, com.pixelmed.dicom.AttributeTag tag, String value) throws Exception {
        Attribute attribute = list.get(tag);
        attribute.removeValues();
        attribute.addValue(value);
    }
}
