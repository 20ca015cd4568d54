package org.groundflow.dicomweb.seg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.BitSet;
import java.util.List;
import java.util.function.UnaryOperator;

import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.dicomweb.volume.ImageVolumeReader;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.synthetic.Lesion;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.testing.Dciodvfy;
import org.groundflow.dicomweb.testing.DemoResults;
import org.groundflow.dicomweb.testing.DemoStudyFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

class SegmentationTest {

    static final SegmentDescription NODULE = new SegmentDescription(1, "Nodule",
            SegmentCodes.MORPHOLOGICALLY_ABNORMAL_STRUCTURE, SegmentCodes.NODULE, SegmentAlgorithmType.AUTOMATIC,
            new RgbColour(230, 159, 0));
    static final SegmentDescription LIVER_LESION = new SegmentDescription(2, "Liver lesion",
            SegmentCodes.MORPHOLOGICALLY_ABNORMAL_STRUCTURE, SegmentCodes.LIVER_LESION, SegmentAlgorithmType.SEMIAUTOMATIC,
            new RgbColour(86, 180, 233));
    static final LocalDateTime WHEN = LocalDateTime.of(2024, 6, 11, 10, 30, 0);

    static ImageVolume volume;
    static BitSet nodules;
    static BitSet liverLesion;

    @TempDir
    Path temp;

    @BeforeAll
    static void readSource() {
        volume = ImageVolumeReader.read(DemoStudyFiles.get());
        nodules = SyntheticStudy.demo().labelMask(Lesion.NODULE);
        liverLesion = SyntheticStudy.demo().labelMask(Lesion.LIVER_LESION);
    }

    static Segmentation.Builder valid() {
        return Segmentation.builder(volume)
                .seriesInstanceUid(Uid.of("2.25.100"))
                .sopInstanceUid(Uid.of("2.25.101"))
                .seriesNumber(300)
                .algorithm("groundflow-demo-unet", "1.0.0", "Groundflow", Uid.of("2.25.102"))
                .contentCreatorName("Groundflow^AI")
                .contentDateTime(WHEN)
                .segment(NODULE, nodules)
                .segment(LIVER_LESION, liverLesion);
    }

    @Test
    void roundTripsThroughTheReader() {
        Segmentation seg = valid().build();

        SegmentationContent content = SegmentationReader.read(seg.toBytes());

        assertThat(content.sopInstanceUid()).isEqualTo(seg.sopInstanceUid());
        assertThat(content.seriesInstanceUid()).isEqualTo(Uid.of("2.25.100"));
        assertThat(content.studyInstanceUid()).isEqualTo(volume.studyInstanceUid());
        assertThat(content.frameOfReferenceUid()).isEqualTo(volume.frameOfReferenceUid());
        assertThat(content.referencedSeriesInstanceUid()).isEqualTo(volume.seriesInstanceUid());
        assertThat(content.segments()).containsExactly(NODULE, LIVER_LESION);
        assertThat(content.mask(1, volume)).isEqualTo(nodules);
        assertThat(content.mask(2, volume)).isEqualTo(liverLesion);
        assertThat(content.frames()).hasSize(seg.frameCount());
    }

    @Test
    void oneFramePerSegmentAndNonEmptySliceEachReferencingItsSourceImage() {
        Segmentation seg = valid().build();
        SegmentationContent content = SegmentationReader.read(seg.toBytes());

        assertThat(seg.frameCount()).isEqualTo(nonEmptySlices(nodules) + nonEmptySlices(liverLesion));
        for (SegmentFrame frame : content.frames()) {
            int z = volume.sopInstanceUids().indexOf(Uid.of(frame.referencedSopInstanceUid()));
            assertThat(z).isNotNegative();
            assertThat(frame.position()).containsExactly(volume.slicePositions().get(z));
            assertThat(frame.pixels().isEmpty()).isFalse();
        }
    }

    @Test
    void carriesTheSourceStudyAndTheModulesViewersNeed() throws Exception {
        AttributeList list = new AttributeList();
        list.read(valid().build().write(temp.resolve("seg.dcm")).toFile());

        assertThat(text(list, TagFromName.SOPClassUID)).isEqualTo("1.2.840.10008.5.1.4.1.1.66.4");
        assertThat(text(list, TagFromName.Modality)).isEqualTo("SEG");
        assertThat(text(list, TagFromName.PatientName)).isEqualTo("Groundflow^Demo");
        assertThat(text(list, TagFromName.PatientID)).isEqualTo("GF-DEMO-0001");
        assertThat(text(list, TagFromName.AccessionNumber)).isEqualTo("GFDEMO0001");
        assertThat(text(list, TagFromName.StudyInstanceUID)).isEqualTo(volume.studyInstanceUid().value());
        assertThat(text(list, TagFromName.FrameOfReferenceUID)).isEqualTo(volume.frameOfReferenceUid().value());
        assertThat(text(list, TagFromName.SegmentationType)).isEqualTo("BINARY");
        assertThat(text(list, TagFromName.ContentLabel)).isEqualTo("SEGMENTATION");
        assertThat(text(list, TagFromName.ContentCreatorName)).isEqualTo("Groundflow^AI");
        assertThat(text(list, TagFromName.ContentDate)).isEqualTo("20240611");
        assertThat(Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsAllocated, 0)).isEqualTo(1);

        AttributeList referencedSeries = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(
                list, TagFromName.ReferencedSeriesSequence);
        assertThat(text(referencedSeries, TagFromName.SeriesInstanceUID)).isEqualTo(volume.seriesInstanceUid().value());
        assertThat(((SequenceAttribute) referencedSeries.get(TagFromName.ReferencedInstanceSequence)).getNumberOfItems())
                .isEqualTo(volume.slices());

        AttributeList equipment = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(
                list, TagFromName.ContributingEquipmentSequence);
        assertThat(CodedSequenceItem.getSingleCodedSequenceItemOrNull(equipment, TagFromName.PurposeOfReferenceCodeSequence)
                .getCodeValue()).isEqualTo("109102");
        assertThat(text(equipment, TagFromName.Manufacturer)).isEqualTo("Groundflow");
        assertThat(text(equipment, TagFromName.ManufacturerModelName)).isEqualTo("groundflow-demo-unet");
        assertThat(text(equipment, TagFromName.SoftwareVersions)).isEqualTo("1.0.0");
        assertThat(text(equipment, TagFromName.DeviceUID)).isEqualTo("2.25.102");

        AttributeList segment = ((SequenceAttribute) list.get(TagFromName.SegmentSequence)).getItem(0).getAttributeList();
        assertThat(text(segment, DicomAttributes.tag("SegmentAlgorithmType"))).isEqualTo("AUTOMATIC");
        assertThat(text(segment, DicomAttributes.tag("SegmentAlgorithmName"))).isEqualTo("groundflow-demo-unet");
        AttributeList algorithm = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(segment,
                DicomAttributes.tag("SegmentationAlgorithmIdentificationSequence"));
        assertThat(text(algorithm, DicomAttributes.tag("AlgorithmName"))).isEqualTo("groundflow-demo-unet");
        assertThat(text(algorithm, DicomAttributes.tag("AlgorithmVersion"))).isEqualTo("1.0.0");
        assertThat(CodedSequenceItem.getSingleCodedSequenceItemOrNull(algorithm, DicomAttributes.tag("AlgorithmFamilyCodeSequence"))
                .getCodeValue()).isEqualTo("123110");
        AttributeList shared = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(
                list, TagFromName.SharedFunctionalGroupsSequence);
        assertThat(shared.get(TagFromName.PixelMeasuresSequence)).isNotNull();
        assertThat(shared.get(TagFromName.PlaneOrientationSequence)).isNotNull();

        SequenceAttribute dimensions = (SequenceAttribute) list.get(TagFromName.DimensionIndexSequence);
        assertThat(dimensions.getNumberOfItems()).isEqualTo(2);
        assertThat(dimensions.getItem(0).getAttributeList().get(TagFromName.DimensionIndexPointer).getSingleStringValueOrEmptyString())
                .isEqualTo("(0x0062,0x000b)");
    }

    @Test
    void dciodvfyFindsNoErrors() {
        Path file = valid().build().write(temp.resolve("seg.dcm"));

        assertThat(Dciodvfy.errors(file)).isEmpty();
    }

    @Test
    void theSameInputGivesTheSameBytes() {
        assertThat(valid().build().toBytes()).isEqualTo(valid().build().toBytes());
    }

    @Test
    void coloursAreStoredAsScaledCieLab() {
        int[] lab = new RgbColour(255, 255, 255).toCieLab();

        assertThat(lab[0]).isEqualTo(65535);
        assertThat(RgbColour.fromCieLab(NODULE.colour().toCieLab())).isEqualTo(NODULE.colour());
    }

    @Test
    void rejectsAMaskLargerThanTheVolume() {
        BitSet tooLarge = new BitSet();
        tooLarge.set(256 * 256 * 48);

        assertRejected(b -> Segmentation.builder(volume).seriesInstanceUid(Uid.of("2.25.100")).sopInstanceUid(Uid.of("2.25.101"))
                .seriesNumber(1).algorithm("a", "1", "m").segment(NODULE, tooLarge),
                "mask of segment 1 sets voxel 3145728, beyond the 3145728 voxels of the source volume (256x256x48)");
    }

    @Test
    void rejectsMissingSegmentsAndDuplicateOrUnorderedNumbers() {
        assertRejected(b -> Segmentation.builder(volume).seriesInstanceUid(Uid.of("2.25.100"))
                .sopInstanceUid(Uid.of("2.25.101")).seriesNumber(1).algorithm("a", "1", "m"), "at least one segment is required");
        assertRejected(b -> b.segment(NODULE, nodules), "duplicate segment number 1");
        assertRejected(b -> Segmentation.builder(volume).seriesInstanceUid(Uid.of("2.25.100"))
                .sopInstanceUid(Uid.of("2.25.101")).seriesNumber(1).algorithm("a", "1", "m").segment(LIVER_LESION, liverLesion),
                "segment numbers must be 1, 2, 3, ... in the order added; segment 1 was added with number 2");
    }

    @Test
    void rejectsEmptyMasksMissingUidsAndAMissingAlgorithm() {
        assertRejected(b -> Segmentation.builder(volume).seriesInstanceUid(Uid.of("2.25.100")).sopInstanceUid(Uid.of("2.25.101"))
                .seriesNumber(1).algorithm("a", "1", "m").segment(NODULE, new BitSet()),
                "mask of segment 1 (Nodule) is empty: every segment needs at least one voxel");
        assertRejected(b -> Segmentation.builder(volume).segment(NODULE, nodules), "seriesInstanceUid is required");
        assertRejected(b -> Segmentation.builder(volume).seriesInstanceUid(Uid.of("2.25.100")).sopInstanceUid(Uid.of("2.25.101"))
                .seriesNumber(1).segment(NODULE, nodules), "algorithm(name, version, manufacturer) is required: segments 1 are not MANUAL");
        assertRejected(b -> b.seriesInstanceUid(volume.seriesInstanceUid()), "seriesInstanceUid must differ from the source series");
        assertThatThrownBy(() -> valid().contentLabel("lower case"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contentLabel");
    }

    @Test
    void rejectsAMaskOffTheSourceGridOrInAnotherFrameOfReference() {
        VoxelMask shorter = new VoxelMask(256, 256, 40, volume.frameOfReferenceUid(), new BitSet());
        VoxelMask elsewhere = new VoxelMask(256, 256, 48, Uid.of("2.25.999"), nodules);

        assertRejected(b -> Segmentation.builder(volume).seriesInstanceUid(Uid.of("2.25.100")).sopInstanceUid(Uid.of("2.25.101"))
                .seriesNumber(1).algorithm("a", "1", "m").segment(NODULE, shorter),
                "mask of segment 1 is 256x256x40 (columns x rows x slices), the source volume of series "
                        + volume.seriesInstanceUid() + " is 256x256x48");
        assertRejected(b -> Segmentation.builder(volume).seriesInstanceUid(Uid.of("2.25.100")).sopInstanceUid(Uid.of("2.25.101"))
                .seriesNumber(1).algorithm("a", "1", "m").segment(NODULE, elsewhere),
                "mask of segment 1 is in frame of reference 2.25.999, the source volume of series "
                        + volume.seriesInstanceUid() + " in " + volume.frameOfReferenceUid());
        assertThatThrownBy(() -> new VoxelMask(2, 2, 1, null, BitSet.valueOf(new long[] {1L << 4})))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("mask sets voxel 4, beyond its 2x2x1 grid");
    }

    @Test
    void pairsDescriptionsWithMasksInOneCall() {
        Segmentation seg = DemoResults.seg();
        SegmentationContent content = SegmentationReader.read(seg.toBytes());

        assertThat(content.segments()).containsExactlyElementsOf(DemoResults.descriptions());
        for (int n = 1; n <= 3; n++) {
            assertThat(content.mask(n, volume)).isEqualTo(DemoResults.lesionMasks().get(n - 1));
        }
        assertThatThrownBy(() -> Segmentation.builder(volume).segments(DemoResults.descriptions(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("segment descriptions and masks must pair up one to one, got 3 descriptions and 0 masks");
    }

    @Test
    void rejectsASourceWithoutFrameOfReference() {
        ImageVolume noFrameOfReference = new ImageVolume(new VolumeGeometry(volume.studyInstanceUid(), volume.seriesInstanceUid(), null, volume.sopClassUid(), volume.modality(), volume.columns(), volume.rows(), volume.slices(), volume.rowSpacing(), volume.columnSpacing(), volume.sliceSpacing(), volume.rowDirection(), volume.columnDirection(), volume.slicePositions(), volume.sopInstanceUids(), volume.study()), volume.voxels());

        assertRejected(b -> Segmentation.builder(noFrameOfReference).seriesInstanceUid(Uid.of("2.25.100"))
                .sopInstanceUid(Uid.of("2.25.101")).seriesNumber(1).algorithm("a", "1", "m").segment(NODULE, nodules),
                "has no FrameOfReferenceUID");
    }

    @Test
    void theReaderRejectsOtherObjectsAndForeignVolumes() {
        assertThatThrownBy(() -> SegmentationReader.read(DemoStudyFiles.get().get(0)))
                .isInstanceOf(SegmentationException.class)
                .hasMessageContaining("is not a Segmentation (SOP Class 1.2.840.10008.5.1.4.1.1.2)");

        SegmentationContent content = SegmentationReader.read(valid().build().toBytes());
        ImageVolume other = ImageVolumeReader.read(SyntheticStudy.builder().variant("other").slices(48).build()
                .writeTo(temp.resolve("other")));
        assertThatThrownBy(() -> content.mask(1, other))
                .isInstanceOf(SegmentationException.class)
                .hasMessageContaining("frame of reference");
        assertThatThrownBy(() -> content.mask(3, volume))
                .isInstanceOf(SegmentationException.class)
                .hasMessageContaining("has no segment 3");
    }

    private void assertRejected(UnaryOperator<Segmentation.Builder> change, String message) {
        assertThatThrownBy(() -> change.apply(valid()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    private static int nonEmptySlices(BitSet mask) {
        int perSlice = volume.voxelsPerSlice();
        int count = 0;
        for (int z = 0; z < volume.slices(); z++) {
            if (!mask.get(z * perSlice, (z + 1) * perSlice).isEmpty()) {
                count++;
            }
        }
        return count;
    }

    private static String text(AttributeList list, com.pixelmed.dicom.AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag);
    }
}
