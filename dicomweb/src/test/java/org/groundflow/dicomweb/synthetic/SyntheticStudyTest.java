package org.groundflow.dicomweb.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;

import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.testing.Dciodvfy;
import org.groundflow.dicomweb.testing.DemoStudyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;

class SyntheticStudyTest {

    @TempDir
    Path temp;

    @Test
    void demoUidsAreFixed() {
        // Other modules and stored fixtures may rely on these: change them only with PHANTOM.md.
        assertThat(SyntheticStudy.STUDY_INSTANCE_UID).isEqualTo(Uid.of("2.25.330035609168696719195548445415602483262"));
        assertThat(SyntheticStudy.demo().studyInstanceUid()).isEqualTo(SyntheticStudy.STUDY_INSTANCE_UID);
        assertThat(SyntheticStudy.demo().seriesInstanceUid()).isEqualTo(SyntheticStudy.SERIES_INSTANCE_UID);
        assertThat(List.of(SyntheticStudy.STUDY_INSTANCE_UID, SyntheticStudy.SERIES_INSTANCE_UID,
                SyntheticStudy.FRAME_OF_REFERENCE_UID, SyntheticStudy.demo().sopInstanceUid(0))).doesNotHaveDuplicates();
    }

    @Test
    void aLargerMatrixCoversTheSameFieldOfViewWithUidsOfItsOwn() throws Exception {
        SyntheticStudy fine = SyntheticStudy.builder().slices(2).size(512).build();
        List<Path> files = fine.writeTo(temp.resolve("fine"));
        AttributeList list = new AttributeList();
        list.read(files.get(0).toFile());

        assertThat(Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0)).isEqualTo(512);
        assertThat(Attribute.getDoubleValues(list, TagFromName.PixelSpacing)).containsExactly(0.75, 0.75);
        assertThat(Attribute.getDoubleValues(list, TagFromName.ImagePositionPatient)[0]).isEqualTo(-191.625);
        assertThat(fine.x(511) + fine.pixelSpacing() / 2).isEqualTo(192.0);
        assertThat(SyntheticStudy.builder().slices(2).build().x(255) + 0.75).isEqualTo(192.0);
        assertThat(fine.seriesInstanceUid()).isNotEqualTo(SyntheticStudy.builder().slices(2).build().seriesInstanceUid());
        assertThat(SyntheticStudy.builder().size(256).build().studyInstanceUid()).isEqualTo(SyntheticStudy.STUDY_INSTANCE_UID);
        assertThatThrownBy(() -> SyntheticStudy.builder().size(8))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("size must be between 16 and 1024, got 8");
    }

    @Test
    void writingTwiceGivesIdenticalFiles() throws Exception {
        SyntheticStudy study = SyntheticStudy.builder().slices(3).build();
        List<Path> first = study.writeTo(temp.resolve("a"));
        List<Path> second = study.writeTo(temp.resolve("b"));

        for (int k = 0; k < first.size(); k++) {
            assertThat(Files.readAllBytes(second.get(k))).isEqualTo(Files.readAllBytes(first.get(k)));
        }
    }

    @Test
    void demoFilesCarryTheFixedStudyAttributes() throws Exception {
        List<Path> files = DemoStudyFiles.get();
        AttributeList list = new AttributeList();
        list.read(files.get(0).toFile());

        assertThat(files).hasSize(48);
        assertThat(text(list, TagFromName.PatientName)).isEqualTo("Groundflow^Demo");
        assertThat(text(list, TagFromName.PatientID)).isEqualTo("GF-DEMO-0001");
        assertThat(text(list, TagFromName.AccessionNumber)).isEqualTo("GFDEMO0001");
        assertThat(text(list, TagFromName.StudyDescription)).isEqualTo("Synthetic chest CT (Groundflow demo)");
        assertThat(text(list, TagFromName.BodyPartExamined)).isEqualTo("CHEST");
        assertThat(list.get(TagFromName.Laterality)).isNull();
        assertThat(text(list, TagFromName.SOPClassUID)).isEqualTo("1.2.840.10008.5.1.4.1.1.2");
        assertThat(text(list, TagFromName.StudyInstanceUID)).isEqualTo(SyntheticStudy.STUDY_INSTANCE_UID.value());
        assertThat(Attribute.getDoubleValues(list, TagFromName.ImagePositionPatient)).containsExactly(-191.25, -191.25, -60);
        assertThat(Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleIntercept, 0)).isEqualTo(-1024);
    }

    @Test
    void dciodvfyFindsNoErrors() {
        Path first = DemoStudyFiles.get().get(0);

        assertThat(Dciodvfy.errors(first)).isEmpty();
    }

    @Test
    void labelMasksMatchTheLesionVolumes() {
        SyntheticStudy demo = SyntheticStudy.demo();
        BitSet nodules = demo.labelMask(Lesion.NODULE);
        BitSet liverLesion = demo.labelMask(Lesion.LIVER_LESION);
        double voxel = 1.5 * 1.5 * 2.5;

        assertThat((double) nodules.cardinality()).isCloseTo((sphere(9) + sphere(6)) / voxel, within(40.0));
        assertThat((double) liverLesion.cardinality()).isCloseTo(sphere(12) / voxel, within(60.0));
        assertThat(nodules.intersects(liverLesion)).isFalse();
        assertThat(nodules.get((32 * 256 + 114) * 256 + 74)).as("nodule A centre").isTrue();
        assertThat(demo.expectedHu(-80, -20, 20)).isEqualTo(35);
        assertThat(demo.expectedHu(-60, 10, -40)).isEqualTo(40);
        assertThat(demo.expectedHu(-60, 40, -40)).as("liver").isEqualTo(110);
        assertThat(demo.expectedHu(75, -5, 40)).as("left lung").isEqualTo(-850);
        assertThat(demo.expectedHu(0, 70, 40)).as("spine").isEqualTo(300);
        assertThat(demo.expectedHu(180, 0, 0)).isEqualTo(-1000);
        BitSet lungs = demo.anatomyMask(3);
        BitSet liver = demo.anatomyMask(4);
        assertThat(lungs.intersects(liver)).isFalse();
        assertThat(liver.get((8 * 256 + 134) * 256 + 87)).as("liver at (-60, 10, -40)").isTrue();
        assertThat(lungs.get((40 * 256 + 124) * 256 + 177)).as("left lung at (75, -5, 40)").isTrue();
    }

    @Test
    void variantsHaveTheirOwnUidsAndLesions() {
        SyntheticStudy empty = SyntheticStudy.builder().withoutLesions().variant("no-findings").build();

        assertThat(empty.studyInstanceUid()).isNotEqualTo(SyntheticStudy.STUDY_INSTANCE_UID);
        assertThat(empty.labelMask(Lesion.NODULE).isEmpty()).isTrue();
        assertThat(empty.toBuilder().build().studyInstanceUid()).isEqualTo(empty.studyInstanceUid());
        assertThatThrownBy(() -> SyntheticStudy.builder().slices(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("slices must be between 1 and 1000, got 0");
        assertThatThrownBy(() -> new Lesion(3, 0, 0, 0, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 3");
    }

    private static double sphere(double r) {
        return 4.0 / 3.0 * Math.PI * r * r * r;
    }

    private static String text(AttributeList list, com.pixelmed.dicom.AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag);
    }
}
