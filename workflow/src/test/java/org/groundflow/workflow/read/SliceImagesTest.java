package org.groundflow.workflow.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import javax.imageio.ImageIO;
import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.Uid;
import org.groundflow.inference.Finding;
import org.groundflow.inference.Laterality;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.ModelCard;
import org.groundflow.inference.ModelIdentity;
import org.groundflow.inference.SegmentMask;
import org.groundflow.inference.SegmentMasks;
import org.junit.jupiter.api.Test;

/** Slices and overlays as the review UI gets them, on a 5 x 5 x 3 volume with two nodules and a cyst. */
class SliceImagesTest {

    private static final int COLUMNS = 5;
    private static final int ROWS = 5;
    private static final int SLICES = 3;
    private static final Uid STUDY = Uid.of("1.2.826.0.1.3680043.9.7777.1");
    private static final Uid SERIES = Uid.of("1.2.826.0.1.3680043.9.7777.2");
    private static final ModelCard CARD = new ModelCard("test", "1", "2.25.1", "Groundflow", "CT", "model.pt", null, null,
            List.of(label(1, "nodule", 230, 159, 0), label(2, "cyst", 86, 180, 233)), null, null, null, null);

    @Test
    void slicesAreWindowedToGreyLevels() throws IOException {
        SliceImages images = images();
        BufferedImage soft = png(images.slicePng(1, DisplayWindow.SOFT));
        assertThat(soft.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
        assertThat(soft.getWidth()).isEqualTo(COLUMNS);
        assertThat(soft.getHeight()).isEqualTo(ROWS);
        assertThat(soft.getRaster().getSample(0, 0, 0)).as("-1000 HU below the soft window").isZero();
        assertThat(soft.getRaster().getSample(2, 2, 0)).as("40 HU at the soft window's centre").isBetween(127, 128);
        assertThat(soft.getRaster().getSample(4, 4, 0)).as("1000 HU above it").isEqualTo(255);
        assertThat(png(images.slicePng(1, DisplayWindow.LUNG)).getRaster().getSample(0, 0, 0))
                .as("-1000 HU in the lung window: (-1000 + 1350) / 1500 * 255").isEqualTo(60);
    }

    @Test
    void overlaysFillEachSegmentInItsFindingsColourWithAnOutline() throws IOException {
        SliceImages images = images();
        List<DisplaySegment> segments = images.segments();
        assertThat(segments).extracting(DisplaySegment::colour).doesNotHaveDuplicates()
                .startsWith("#e69f00").contains("#56b4e9");
        BufferedImage overlay = png(images.overlayPng(1, null));
        assertThat(overlay.getRGB(2, 2)).isEqualTo(SliceImages.FILL_ALPHA << 24 | 0xE69F00);
        assertThat(overlay.getRGB(1, 1)).isEqualTo(SliceImages.EDGE_ALPHA << 24 | 0xE69F00);
        assertThat(overlay.getRGB(4, 0) & 0xFFFFFF).isEqualTo(Integer.parseInt(segments.get(1).colour().substring(1), 16));
        assertThat(overlay.getRGB(0, 4) >>> 24).as("no segment there").isZero();

        BufferedImage onlySecond = png(images.overlayPng(1, List.of(2)));
        assertThat(onlySecond.getRGB(2, 2) >>> 24).as("segment 1 left out").isZero();
        assertThat(onlySecond.getRGB(4, 0) >>> 24).isEqualTo(SliceImages.EDGE_ALPHA);
        assertThat(png(images.overlayPng(1, List.of())).getRGB(2, 2) >>> 24).isZero();
    }

    @Test
    void segmentsSayWhereTheyLieAndWhereToJump() {
        DisplaySegment first = images().segments().get(0);
        assertThat(first.finding()).isEqualTo(1);
        assertThat(first.segmentNumber()).isEqualTo(1);
        assertThat(first.label()).isEqualTo("nodule");
        assertThat(first.firstSlice()).isEqualTo(0);
        assertThat(first.lastSlice()).isEqualTo(1);
        assertThat(first.centroidSlice()).isIn(0, 1);
        assertThat(first.centroidColumn()).isEqualTo(2);
        assertThat(first.centroidRow()).isEqualTo(2);
        assertThat(List.of(first.minColumn(), first.maxColumn(), first.minRow(), first.maxRow())).containsExactly(1, 3, 1, 3);
        assertThat(first.voxelCount()).isEqualTo(18);
        DisplaySegment cyst = images().segments().get(2);
        assertThat(cyst.colour()).isEqualTo("#56b4e9");
        assertThat(List.of(cyst.firstSlice(), cyst.lastSlice(), cyst.centroidSlice())).containsExactly(2, 2, 2);
    }

    @Test
    void requestsOutsideTheReadAreRefused() {
        SliceImages images = images();
        assertThatThrownBy(() -> images.slicePng(3, DisplayWindow.LUNG)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("slice 3 does not exist: the series has slices 0 to 2");
        assertThatThrownBy(() -> images.overlayPng(0, List.of(7))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("segment 7 is not a segment of this read (it has [1, 2, 3])");
        assertThatThrownBy(() -> DisplayWindow.parse("bone")).hasMessage("window must be one of [lung, soft], got 'bone'");
        assertThat(DisplayWindow.parse(" Soft ")).isEqualTo(DisplayWindow.SOFT);
    }

    @Test
    void masksOnAnotherGridAreRefused() {
        SegmentMasks wrong = new SegmentMasks(4, 4, 3, List.of());
        assertThatThrownBy(() -> SliceImages.of(volume(), draft(), wrong, CARD)).isInstanceOf(ReadFailure.class)
                .hasMessageContaining("masks on a 4x4x3 grid do not fit the 5x5x3 volume");
    }

    @Test
    void findingsOfOneLabelGetShadesOfItsColourAndUnknownLabelsAFallback() {
        assertThat(SegmentPalette.shade(0xE69F00, 0)).isEqualTo(0xE69F00);
        assertThat(SegmentPalette.shade(0xE69F00, 1)).as("lighter").isEqualTo(0xF1CA73);
        assertThat(SegmentPalette.shade(0xE69F00, 2)).as("darker").isEqualTo(0x8A5F00);
        Finding unknown = finding(1, "mass", 1);
        assertThat(SegmentPalette.colours(List.of(unknown), CARD)).containsEntry(1, SegmentPalette.FALLBACK_RGB);
        assertThat(SegmentPalette.hex(0x56B4E9)).isEqualTo("#56b4e9");
    }

    private static SliceImages images() {
        BitSet nodule = new BitSet();
        for (int z = 0; z < 2; z++) {
            for (int y = 1; y <= 3; y++) {
                for (int x = 1; x <= 3; x++) {
                    nodule.set(index(x, y, z));
                }
            }
        }
        BitSet small = new BitSet();
        small.set(index(4, 0, 1));
        BitSet cyst = new BitSet();
        cyst.set(index(0, 0, 2));
        SegmentMasks masks = new SegmentMasks(COLUMNS, ROWS, SLICES,
                List.of(new SegmentMask(1, nodule), new SegmentMask(2, small), new SegmentMask(3, cyst)));
        return SliceImages.of(volume(), draft(), masks, CARD);
    }

    private static Interpretation draft() {
        return new Interpretation(STUDY, SERIES, new ModelIdentity("test", "1", Uid.of("2.25.1"), "Groundflow"),
                List.of(finding(1, "nodule", 1), finding(2, "nodule", 2), finding(3, "cyst", 3)), "Two nodules, one cyst.");
    }

    private static Finding finding(int number, String label, int segment) {
        return new Finding(number, label, new CodedConcept("27925004", "SCT", "Nodule"), "A small " + label + ".",
                label, segment, 0.9, null, "right upper zone", CodedConcept.sct("39607008", "Lung"), Laterality.RIGHT);
    }

    /** -1000 HU at x = 0, 40 HU in the middle column, 1000 HU at x = 4. */
    private static ImageVolume volume() {
        float[] voxels = new float[COLUMNS * ROWS * SLICES];
        for (int i = 0; i < voxels.length; i++) {
            int x = i % COLUMNS;
            voxels[i] = x == 0 ? -1000 : x == 4 ? 1000 : 40;
        }
        List<double[]> positions = Arrays.asList(new double[] {0, 0, 0}, new double[] {0, 0, 2.5}, new double[] {0, 0, 5});
        List<Uid> instances = List.of(Uid.of("1.2.826.0.1.3680043.9.7777.3.1"), Uid.of("1.2.826.0.1.3680043.9.7777.3.2"),
                Uid.of("1.2.826.0.1.3680043.9.7777.3.3"));
        return new ImageVolume(STUDY, SERIES, Uid.of("1.2.826.0.1.3680043.9.7777.4"), Uid.of("1.2.840.10008.5.1.4.1.1.2"),
                "CT", COLUMNS, ROWS, SLICES, 1.5, 1.5, 2.5, new double[] {1, 0, 0}, new double[] {0, 1, 0}, positions,
                instances, voxels, null);
    }

    private static int index(int x, int y, int z) {
        return (z * ROWS + y) * COLUMNS + x;
    }

    private static ModelCard.Label label(int value, String name, int r, int g, int b) {
        return new ModelCard.Label(value, name, new ModelCard.Code("http://snomed.info/sct", "SCT", "1", name), List.of(r, g, b), null);
    }

    private static BufferedImage png(byte[] bytes) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(bytes));
    }
}
