package org.groundflow.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.junit.jupiter.api.Test;

class FindingExtractorTest {

    private static final ModelCard CARD = Cards.demoWithoutDetection(); // the painted maps are sure by 0.9

    /** Label spheres on the standard grid; returns the label map with confidence 0.9 on labelled voxels. */
    private static LabelMap labelSpheres(ImageVolume volume, List<Phantom.Sphere> spheres) {
        byte[] labels = new byte[volume.voxels().length];
        float[] confidence = new float[labels.length];
        Arrays.fill(confidence, 1f);
        for (int k = 0; k < volume.slices(); k++) {
            for (int j = 0; j < volume.rows(); j++) {
                for (int i = 0; i < volume.columns(); i++) {
                    double[] p = volume.patientPosition(i, j, k);
                    for (Phantom.Sphere s : spheres) {
                        double d2 = Math.pow(p[0] - s.x(), 2) + Math.pow(p[1] - s.y(), 2) + Math.pow(p[2] - s.z(), 2);
                        if (d2 <= s.radius() * s.radius()) {
                            int v = (k * volume.rows() + j) * volume.columns() + i;
                            labels[v] = (byte) s.label();
                            confidence[v] = 0.9f;
                        }
                    }
                }
            }
        }
        return new LabelMap(volume.columns(), volume.rows(), volume.slices(), labels, confidence);
    }

    @Test
    void findingsAreNumberedByLabelThenSizeAndGroundedByTheirMasks() {
        ImageVolume volume = Phantom.standard(48, -60).build(1);
        List<Phantom.Sphere> spheres = new ArrayList<>(List.of(
                new Phantom.Sphere(2, 0, -85, -35, 14),   // liver lesion label, midline lower zone
                new Phantom.Sphere(1, 85, 30, 30, 6),     // small nodule, left upper zone
                new Phantom.Sphere(1, -80, -20, 0, 9),    // large nodule, right middle zone
                new Phantom.Sphere(1, -60, 40, 10, 1.0))); // one voxel at most: below the minimum volume
        InterpretationResult result = new FindingExtractor(CARD).extract(volume, labelSpheres(volume, spheres));

        List<Finding> findings = result.interpretation().findings();
        assertThat(findings).extracting(Finding::label).containsExactly("nodule", "nodule", "liver lesion");
        assertThat(findings).extracting(Finding::number).containsExactly(1, 2, 3);
        assertThat(findings).extracting(Finding::segmentNumber).containsExactly(1, 2, 3);
        assertThat(findings).extracting(Finding::location)
                .containsExactly("right middle zone", "left upper zone", "midline lower zone");
        assertThat(findings.get(0).code()).isEqualTo(CodedConcept.sct("27925004", "Nodule"));
        assertThat(findings.get(2).code()).isEqualTo(CodedConcept.sct("300331000", "Lesion of liver"));
        assertThat(findings).extracting(Finding::laterality)
                .containsExactly(Laterality.RIGHT, Laterality.LEFT, Laterality.NONE);
        assertThat(findings).extracting(Finding::site).containsExactly(CodedConcept.sct("39607008", "Lung"),
                CodedConcept.sct("39607008", "Lung"), CodedConcept.sct("10200004", "Liver"));
        assertThat(findings.get(0).measurements().longestAxialDiameterMm()).isCloseTo(18, within(1.5));
        assertThat(findings.get(1).measurements().longestAxialDiameterMm()).isCloseTo(12, within(1.5));
        assertThat(findings.get(2).measurements().longestAxialDiameterMm()).isCloseTo(28, within(1.5));
        assertThat(findings.get(0).measurements().volumeMl()).isCloseTo(4.0 / 3 * Math.PI * 729 / 1000, within(0.2));
        assertThat(findings.get(0).text()).isEqualTo("An 18 mm nodule in the right middle zone (3.1 mL).");
        assertThat(findings).allSatisfy(f -> {
            assertThat(f.text()).contains(f.phrase());
            assertThat(f.confidence()).isCloseTo(0.9, within(1e-6));
            assertThat(result.mask(f.segmentNumber()).voxelCount())
                    .isEqualTo((int) Math.round(f.measurements().volumeMl() * 1000 / (1.5 * 1.5 * 2.5)));
        });
        assertThat(result.interpretation().impression()).isEqualTo("2 nodules and 1 liver lesion; see findings.");
        assertThat(result.interpretation().model()).isEqualTo(CARD.identity());
        assertThat(result.masks().columns()).isEqualTo(256);
        assertThat(result.masks().slices()).isEqualTo(48);
    }

    @Test
    void nothingFoundIsAResultWithItsOwnSentence() {
        ImageVolume volume = Phantom.standard(4, 0).build(2);
        InterpretationResult result = new FindingExtractor(CARD).extract(volume, labelSpheres(volume, List.of()));
        assertThat(result.interpretation().findings()).isEmpty();
        assertThat(result.masks().masks()).isEmpty();
        assertThat(result.interpretation().impression()).isEqualTo("No nodule or liver lesion detected.");
    }

    @Test
    void minimumVolumeIsAdjustable() {
        ImageVolume volume = Phantom.standard(8, 0).build(3);
        LabelMap map = labelSpheres(volume, List.of(new Phantom.Sphere(1, -80, -20, 8, 3)));
        assertThat(new FindingExtractor(CARD).extract(volume, map).interpretation().findings()).hasSize(1);
        assertThat(new FindingExtractor(CARD).withMinimumVolumeMl(0.5).extract(volume, map)
                .interpretation().findings()).isEmpty();
    }
}
