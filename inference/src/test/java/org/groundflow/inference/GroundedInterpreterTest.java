package org.groundflow.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped demo model, run through DJL on phantoms built here from PHANTOM.md. */
class GroundedInterpreterTest {

    private static GroundedInterpreter interpreter;

    @BeforeAll
    static void loadModel() {
        interpreter = new GroundedInterpreter(DemoModel.get());
    }

    private static int[] indices(SegmentMask mask) {
        return mask.voxels().stream().toArray();
    }

    /** Dice of a mask against the voxels whose centres lie inside the sphere. */
    private static double dice(ImageVolume volume, SegmentMask mask, double[] c, double r) {
        int truth = 0;
        int both = 0;
        for (int k = 0; k < volume.slices(); k++) {
            for (int j = 0; j < volume.rows(); j++) {
                for (int i = 0; i < volume.columns(); i++) {
                    double[] p = volume.patientPosition(i, j, k);
                    if (Math.pow(p[0] - c[0], 2) + Math.pow(p[1] - c[1], 2) + Math.pow(p[2] - c[2], 2) <= r * r) {
                        truth++;
                        if (mask.contains((k * volume.rows() + j) * volume.columns() + i)) {
                            both++;
                        }
                    }
                }
            }
        }
        return 2.0 * both / (truth + mask.voxelCount());
    }

    @Test
    void findsTheNoduleAndTheLiverLesionWhereTheyAre() {
        ImageVolume volume = Phantom.standard(48, -60).nodule(-80, -20, 20, 9).liverLesion(-60, 10, -40, 12).build(42);
        InterpretationResult result = interpreter.interpret(volume);

        List<Finding> findings = result.interpretation().findings();
        assertThat(findings).extracting(Finding::label).containsExactly("nodule", "liver lesion");
        Finding nodule = findings.get(0);
        assertThat(nodule.location()).isEqualTo("right upper zone");
        assertThat(nodule.measurements().longestAxialDiameterMm()).isCloseTo(18, within(3.0));
        assertThat(nodule.measurements().meanIntensity()).isCloseTo(35, within(25.0));
        assertThat(nodule.confidence()).isBetween(0.5, 1.0);
        assertThat(nodule.text()).contains(nodule.phrase()).contains("nodule in the right upper zone");
        double[] centre = Morphometry.centroid(volume, indices(result.mask(nodule.segmentNumber())));
        assertThat(centre[0]).isCloseTo(-80, within(3.0));
        assertThat(centre[1]).isCloseTo(-20, within(3.0));
        assertThat(centre[2]).isCloseTo(20, within(3.0));
        assertThat(dice(volume, result.mask(1), new double[] {-80, -20, 20}, 9)).isGreaterThan(0.8);

        Finding liverLesion = findings.stream().filter(f -> f.label().equals("liver lesion"))
                .max(java.util.Comparator.comparingDouble(f -> dice(volume, result.mask(f.segmentNumber()),
                        new double[] {-60, 10, -40}, 12))).orElseThrow();
        // the model outlines liver lesions short of their edge (see the card's Dice on generator B): found, not sized
        assertThat(dice(volume, result.mask(liverLesion.segmentNumber()), new double[] {-60, 10, -40}, 12))
                .isGreaterThan(0.2);
        double[] lesionCentre = Morphometry.centroid(volume, indices(result.mask(liverLesion.segmentNumber())));
        assertThat(Math.hypot(Math.hypot(lesionCentre[0] + 60, lesionCentre[1] - 10), lesionCentre[2] + 40))
                .isLessThan(8.0);
        assertThat(result.interpretation().impression()).isEqualTo("1 nodule and 1 liver lesion; see findings.");
        assertThat(result.interpretation().seriesInstanceUid()).isEqualTo(Phantom.SERIES);
    }

    @Test
    void aPhantomWithoutLesionsHasNoFindings() {
        InterpretationResult result = interpreter.interpret(Phantom.standard(16, 0).build(7));
        assertThat(result.interpretation().findings()).isEmpty();
        assertThat(result.interpretation().impression()).isEqualTo("No nodule or liver lesion detected.");
    }

    @Test
    void slicesOnAnotherGridAreResampledAndLabelsMappedBack() {
        ImageVolume volume = Phantom.grid(320, 1.2, 16, 0).nodule(-80, -20, 20, 9).build(8);
        InterpretationResult result = interpreter.interpret(volume);
        assertThat(result.interpretation().findings()).singleElement().satisfies(f -> {
            assertThat(f.label()).isEqualTo("nodule");
            assertThat(f.location()).startsWith("right");
            assertThat(f.measurements().longestAxialDiameterMm()).isCloseTo(18, within(3.0));
        });
        assertThat(result.masks().columns()).isEqualTo(320);
        assertThat(dice(volume, result.mask(1), new double[] {-80, -20, 20}, 9)).isGreaterThan(0.8);
    }

    @Test
    void seriesTheModelCannotReadAreRefused() {
        ImageVolume ct = Phantom.standard(2, 0).build(10);
        ImageVolume mr = new ImageVolume(new VolumeGeometry(ct.studyInstanceUid(), ct.seriesInstanceUid(), ct.frameOfReferenceUid(), ct.sopClassUid(), "MR", ct.columns(), ct.rows(), ct.slices(), ct.rowSpacing(), ct.columnSpacing(), ct.sliceSpacing(), ct.rowDirection(), ct.columnDirection(), ct.slicePositions(), ct.sopInstanceUids(), null), ct.voxels());
        assertThat(assertThrows(InferenceException.class, () -> interpreter.interpret(mr)))
                .hasMessageContaining("reads CT, series " + Phantom.SERIES + " is MR");
        ImageVolume sagittal = new ImageVolume(new VolumeGeometry(ct.studyInstanceUid(), ct.seriesInstanceUid(), ct.frameOfReferenceUid(), ct.sopClassUid(), "CT", ct.columns(), ct.rows(), ct.slices(), ct.rowSpacing(), ct.columnSpacing(), ct.sliceSpacing(), new double[] {0, 1, 0}, new double[] {0, 0, -1}, ct.slicePositions(), ct.sopInstanceUids(), null), ct.voxels());
        assertThat(assertThrows(InferenceException.class, () -> interpreter.interpret(sagittal)))
                .hasMessageContaining("slices are tilted 90° from axial, more than this model's 20°");
    }

    @Test
    void aSeriesStoredMirroredAndFeetLastIsReadInPatientSpace() {
        ImageVolume standard = Phantom.standard(16, 0).nodule(-80, -20, 20, 9).build(11);
        ImageVolume mirrored = mirrored(standard);
        InterpretationResult result = interpreter.interpret(mirrored);
        assertThat(result.interpretation().findings()).singleElement().satisfies(f -> {
            assertThat(f.label()).isEqualTo("nodule");
            assertThat(f.laterality()).isEqualTo(Laterality.RIGHT);
        });
        double[] centre = Morphometry.centroid(mirrored, indices(result.mask(1)));
        assertThat(centre[0]).isCloseTo(-80, within(3.0));
        assertThat(centre[1]).isCloseTo(-20, within(3.0));
        assertThat(centre[2]).isCloseTo(20, within(3.0));
        assertThat(dice(mirrored, result.mask(1), new double[] {-80, -20, 20}, 9)).isGreaterThan(0.8);
    }

    /** The same voxels with columns running to the patient's right, so slices run head to feet along the normal. */
    private static ImageVolume mirrored(ImageVolume v) {
        int columns = v.columns();
        int perSlice = v.voxelsPerSlice();
        float[] voxels = new float[v.voxels().length];
        List<double[]> positions = new java.util.ArrayList<>();
        List<org.groundflow.dicomweb.Uid> uids = new java.util.ArrayList<>();
        for (int z = 0; z < v.slices(); z++) {
            int from = v.slices() - 1 - z;
            for (int i = 0; i < perSlice; i++) {
                int x = i % columns;
                voxels[z * perSlice + i] = v.voxels()[from * perSlice + i - x + (columns - 1 - x)];
            }
            positions.add(v.patientPosition(columns - 1, 0, from));
            uids.add(v.sopInstanceUids().get(from));
        }
        return new ImageVolume(new VolumeGeometry(v.studyInstanceUid(), v.seriesInstanceUid(), v.frameOfReferenceUid(),
                v.sopClassUid(), "CT", columns, v.rows(), v.slices(), v.rowSpacing(), v.columnSpacing(),
                v.sliceSpacing(), new double[] {-1, 0, 0}, new double[] {0, 1, 0}, positions, uids, null), voxels);
    }

    @Test
    void concurrentCallsGiveTheSameLabels() {
        ImageVolume volume = Phantom.standard(6, 15).nodule(-80, -20, 20, 8).build(9);
        SegmentationModel model = DemoModel.get();
        byte[] alone = model.segment(volume);
        CompletableFuture<byte[]> a = CompletableFuture.supplyAsync(() -> model.segment(volume));
        CompletableFuture<byte[]> b = CompletableFuture.supplyAsync(() -> model.segment(volume));
        assertThat(a.join()).isEqualTo(alone);
        assertThat(b.join()).isEqualTo(alone);
        int nodule = 0;
        for (byte label : alone) {
            nodule += label == 1 ? 1 : 0;
        }
        assertThat(nodule).isPositive();
    }
}
