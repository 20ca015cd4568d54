package org.groundflow.dicomweb.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

import com.pixelmed.dicom.TagFromName;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.testing.EnhancedCtFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcquisitionHeaderTest {

    private static final SyntheticStudy STUDY = SyntheticStudy.builder().variant("acquisition-header").slices(3).build();

    @TempDir
    Path temp;

    @Test
    void readsScannerBodyPartSpacingAndThicknessOfASingleFrameImage() {
        Path file = STUDY.writeTo(temp).get(0);

        AcquisitionHeader header = AcquisitionHeader.read(file);

        assertThat(header.manufacturer()).isEqualTo("Groundflow");
        assertThat(header.scannerModel()).isEqualTo("Synthetic chest phantom");
        assertThat(header.bodyPart()).isEqualTo("CHEST");
        assertThat(header.pixelSpacing()).isEqualTo(OptionalDouble.of(STUDY.pixelSpacing()));
        assertThat(header.sliceThickness()).isEqualTo(OptionalDouble.of(2.5));
    }

    @Test
    void readsSpacingAndThicknessOfAnEnhancedImageFromItsSharedPixelMeasures() throws Exception {
        List<Path> frames = STUDY.writeTo(temp.resolve("frames"));
        Path enhanced = EnhancedCtFixture.write(frames, "1.2.826.0.1.3680043.10.1126.77", temp.resolve("enhanced.dcm"));

        AcquisitionHeader header = AcquisitionHeader.read(enhanced);

        assertThat(header.pixelSpacing()).isEqualTo(OptionalDouble.of(STUDY.pixelSpacing()));
        assertThat(header.sliceThickness()).isEqualTo(OptionalDouble.of(2.5));
        assertThat(header.manufacturer()).as("not copied into the enhanced image").isEmpty();
    }

    @Test
    void absentOrUnusableValuesAreEmpty() throws Exception {
        Path file = STUDY.writeTo(temp).get(1);
        ImageVolumeReaderTest.rewrite(file, list -> {
            list.remove(TagFromName.Manufacturer);
            list.remove(TagFromName.BodyPartExamined);
            list.remove(TagFromName.PixelSpacing);
            list.get(TagFromName.SliceThickness).removeValues();
            list.get(TagFromName.SliceThickness).addValue(0.0);
        });

        AcquisitionHeader header = AcquisitionHeader.read(file);

        assertThat(header.manufacturer()).isEmpty();
        assertThat(header.bodyPart()).isEmpty();
        assertThat(header.scannerModel()).isEqualTo("Synthetic chest phantom");
        assertThat(header.pixelSpacing()).isEmpty();
        assertThat(header.sliceThickness()).isEmpty();
    }

    @Test
    void aFileThatIsNotDicomIsRefusedNamingIt() throws Exception {
        Path file = Files.writeString(temp.resolve("not-dicom.dcm"), "plain text");

        assertThatThrownBy(() -> AcquisitionHeader.read(file)).isInstanceOf(VolumeException.class)
                .hasMessageContaining("not-dicom.dcm");
    }
}
