package org.groundflow.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.junit.jupiter.api.Test;

/**
 * Site, side, plausibility and confidence of findings for a card with anatomy labels (lung 3, liver 4) and for the
 * demo card, on label maps painted here (some without organs).
 */
class PlausibleFindingsTest {

    private static final ModelCard CONTRACT = Cards.contract();
    private static final CodedConcept LUNG = CodedConcept.sct("39607008", "Lung");
    private static final CodedConcept LIVER = CodedConcept.sct("10200004", "Liver");

    /** Paints organs and spheres (in this order, later over earlier) with probability {@code p}. */
    private static final class Painter {
        final ImageVolume volume;
        final byte[] labels;
        final float[] confidence;

        Painter(ImageVolume volume) {
            this.volume = volume;
            this.labels = new byte[volume.voxels().length];
            this.confidence = new float[labels.length];
            Arrays.fill(confidence, 1f);
        }

        Painter lungs(double shiftX) {
            return paint(3, 1f, p -> sq((p[0] + 75 - shiftX) / 55) + sq((p[1] + 5) / 80) <= 1
                    || sq((p[0] - 75 - shiftX) / 55) + sq((p[1] + 5) / 80) <= 1);
        }

        Painter liver() {
            return paint(4, 1f, p -> p[0] > -130 && p[0] < -30 && p[1] > 20 && p[1] < 100 && p[2] < -10);
        }

        Painter sphere(int label, float p, double x, double y, double z, double r) {
            return paint(label, p, q -> sq(q[0] - x) + sq(q[1] - y) + sq(q[2] - z) <= r * r);
        }

        Painter paint(int label, float p, java.util.function.Predicate<double[]> inside) {
            for (int k = 0; k < volume.slices(); k++) {
                for (int j = 0; j < volume.rows(); j++) {
                    for (int i = 0; i < volume.columns(); i++) {
                        if (inside.test(volume.patientPosition(i, j, k))) {
                            int v = (k * volume.rows() + j) * volume.columns() + i;
                            labels[v] = (byte) label;
                            confidence[v] = p;
                        }
                    }
                }
            }
            return this;
        }

        LabelMap map() {
            return new LabelMap(volume.columns(), volume.rows(), volume.slices(), labels, confidence);
        }
    }

    private static double sq(double v) {
        return v * v;
    }

    @Test
    void organsGiveTheSiteAndImplausibleFindingsAreRewordedOrDroppedWithTheirReason() {
        ImageVolume volume = Phantom.standard(32, -40).build(1);
        LabelMap map = new Painter(volume).lungs(0).liver()
                .sphere(1, 0.95f, -80, -20, 0, 9)      // nodule in the right lung
                .sphere(1, 0.9f, 75, -5, 10, 20)       // 40 mm "nodule" in the left lung: a mass
                .sphere(2, 0.8f, -80, 60, -30, 10)     // liver lesion in the liver
                .sphere(2, 0.85f, 80, -10, -28, 8)     // "liver lesion" in the left lung: dropped
                .map();
        Interpretation read = new FindingExtractor(CONTRACT).extract(volume, map).interpretation();

        assertThat(read.findings()).extracting(Finding::label).containsExactly("mass", "nodule", "liver lesion");
        Finding mass = read.findings().get(0);
        assertThat(mass.code()).isEqualTo(CodedConcept.sct("4147007", "Mass"));
        assertThat(mass.phrase()).endsWith("mm mass");
        assertThat(mass.site()).isEqualTo(LUNG);
        assertThat(mass.laterality()).isEqualTo(Laterality.LEFT);
        assertThat(read.findings().get(1).site()).isEqualTo(LUNG);
        assertThat(read.findings().get(1).laterality()).isEqualTo(Laterality.RIGHT);
        assertThat(read.findings().get(2).site()).isEqualTo(LIVER);
        assertThat(read.findings()).extracting(f -> Math.round(f.confidence() * 100)).containsExactly(90L, 95L, 80L);
        assertThat(read.findings()).noneMatch(f -> f.label().equals("lung") || f.label().equals("liver"));

        assertThat(read.setAside()).hasSize(2);
        assertThat(read.setAside()).anySatisfy(s -> {
            assertThat(s.label()).isEqualTo("nodule");
            assertThat(s.keptAs()).isEqualTo("mass");
            assertThat(s.reason()).contains("larger than a nodule's 30 mm").contains("reported as mass");
        });
        assertThat(read.setAside()).anySatisfy(s -> {
            assertThat(s.label()).isEqualTo("liver lesion");
            assertThat(s.keptAs()).isNull();
            assertThat(s.reason()).contains("lies in the lung, not in the liver").endsWith("dropped");
        });
        assertThat(read.impression()).isEqualTo("1 nodule, 1 liver lesion and 1 mass; see findings.");
    }

    @Test
    void aLesionAwayFromEveryOrganIsDroppedWhenTheMapShowsOrgans() {
        ImageVolume volume = Phantom.standard(16, -20).build(2);
        LabelMap map = new Painter(volume).lungs(0).sphere(1, 0.9f, 0, 95, 0, 6).map(); // in the spine
        Interpretation read = new FindingExtractor(CONTRACT).extract(volume, map).interpretation();
        assertThat(read.findings()).isEmpty();
        assertThat(read.setAside()).singleElement().satisfies(s ->
                assertThat(s.reason()).contains("lies in no organ the model outlines"));
    }

    @Test
    void withoutOrgansInTheMapTheLabelsSiteStandsAndNoSiteRuleApplies() {
        ImageVolume volume = Phantom.standard(16, -20).build(3);
        LabelMap map = new Painter(volume).sphere(2, 0.9f, 0, 95, 0, 6).map();
        Interpretation read = new FindingExtractor(CONTRACT).extract(volume, map).interpretation();
        assertThat(read.findings()).singleElement().satisfies(f -> {
            assertThat(f.site()).isEqualTo(LIVER);
            assertThat(f.laterality()).isEqualTo(Laterality.NONE);
        });
        assertThat(read.setAside()).isEmpty();
    }

    @Test
    void theSideIsTakenFromTheLungsCentreNotFromPatientXZero() {
        ImageVolume volume = Phantom.standard(16, -20).build(4);
        LabelMap map = new Painter(volume).lungs(30).sphere(1, 0.9f, 15, -5, 0, 5).map();
        Finding finding = new FindingExtractor(CONTRACT).extract(volume, map).interpretation().findings().get(0);
        assertThat(finding.laterality()).isEqualTo(Laterality.RIGHT);
        assertThat(finding.location()).startsWith("right");
    }

    @Test
    void aFindingTooLargeWithoutAnotherWordIsDropped() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode demo = (ObjectNode) json.readTree(Cards.demoJson());
        demo.get("labels").forEach(l -> ((ObjectNode) l).remove("detection")); // the painted map is sure by 0.9
        ((ObjectNode) demo.get("labels").get(1)).putObject("plausibility").put("maxDiameterMm", 20);
        ModelCard card = ModelCardReader.read(json.writeValueAsBytes(demo), "demo");
        ImageVolume volume = Phantom.standard(24, -30).build(5);
        LabelMap map = new Painter(volume).sphere(1, 0.9f, -80, -20, 0, 6).sphere(2, 0.9f, 0, -85, 0, 14).map();
        Interpretation read = new FindingExtractor(card).extract(volume, map).interpretation();
        assertThat(read.findings()).extracting(Finding::label).containsExactly("nodule");
        assertThat(read.setAside()).singleElement().satisfies(s -> {
            assertThat(s.label()).isEqualTo("liver lesion");
            assertThat(s.reason()).contains("larger than a liver lesion's 20 mm").endsWith("dropped");
        });
    }

    @Test
    void aModelWithoutProbabilitiesGivesFindingsWithoutConfidence() {
        ImageVolume volume = Phantom.standard(8, -10).build(6);
        Painter painter = new Painter(volume).sphere(1, Float.NaN, -80, -20, 0, 6);
        Finding finding = new FindingExtractor(Cards.demo()).extract(volume, painter.map()).interpretation()
                .findings().get(0);
        assertThat(finding.confidence()).isNull();
        assertThat(List.of(CONTRACT.confidence().low("nodule", 0.5), CONTRACT.confidence().low("nodule", 0.8),
                CONTRACT.confidence().low("nodule", null))).containsExactly(true, false, false);
        // a label's own bound replaces the card's
        ModelCard.ConfidencePolicy byLabel = new ModelCard.ConfidencePolicy(0.7, java.util.Map.of("liver lesion", 0.9));
        assertThat(List.of(byLabel.low("liver lesion", 0.85), byLabel.low("nodule", 0.85), byLabel.low("mass", 0.65)))
                .containsExactly(true, false, true);
    }

    @Test
    void aCardsDetectionBoundsDropSmallAndUnsureSegmentsAndCountTheUnsure() {
        ModelCard card = Cards.demoDetecting(0.5, 0.6);
        assertThat(card.findingLabels()).allSatisfy(l -> assertThat(l.detection())
                .isEqualTo(new ModelCard.Detection(0.5, 0.6)));
        ImageVolume volume = Phantom.standard(24, -30).build(7);
        LabelMap map = new Painter(volume)
                .sphere(1, 0.9f, -80, -20, 0, 8)    // 2.1 mL, sure: reported
                .sphere(1, 0.55f, 80, 20, 0, 8)     // 2.1 mL, unsure: counted, not reported
                .sphere(1, 0.9f, 0, -85, 10, 3)     // 0.11 mL, below the card's 0.5 mL: dropped silently
                .sphere(2, 0.59f, 0, -85, -25, 12)  // unsure liver lesion
                .map();
        Interpretation read = new FindingExtractor(card).extract(volume, map).interpretation();
        assertThat(read.findings()).singleElement().satisfies(f -> {
            assertThat(f.label()).isEqualTo("nodule");
            assertThat(f.confidence()).isCloseTo(0.9, org.assertj.core.api.Assertions.within(1e-6));
        });
        assertThat(read.setAside()).extracting(SetAside::label, SetAside::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("nodule",
                        "1 segment below the model's confidence of 0.6 for a nodule; not reported"),
                org.assertj.core.groups.Tuple.tuple("liver lesion",
                        "1 segment below the model's confidence of 0.6 for a liver lesion; not reported"));
        // without the card's bounds every one of them is a finding
        assertThat(new FindingExtractor(Cards.demoWithoutDetection()).extract(volume, map).interpretation().findings()).hasSize(4);
    }

    @Test
    void aFindingLongerThanItsLabelsShapeAllowsIsDroppedWithItsElongation() {
        ImageVolume volume = Phantom.standard(24, -30).build(8);
        Painter painter = new Painter(volume).lungs(0).sphere(1, 0.95f, -80, -20, 0, 7); // a round nodule
        // a vessel-like tube in the left lung: 5 mm wide, 40 mm along the slices
        painter.paint(1, 0.95f, p -> Math.hypot(p[0] - 80, p[1] + 10) <= 2.5 && Math.abs(p[2]) <= 20);
        Interpretation read = new FindingExtractor(CONTRACT).extract(volume, painter.map()).interpretation();
        assertThat(read.findings()).singleElement().satisfies(f -> assertThat(f.laterality()).isEqualTo(Laterality.RIGHT));
        assertThat(read.setAside()).singleElement().satisfies(s -> {
            assertThat(s.label()).isEqualTo("nodule");
            assertThat(s.keptAs()).isNull();
            assertThat(s.reason()).matches("a \\d+ mm nodule is \\d+\\.\\d times as long as it is wide, more than a "
                    + "nodule's 3\\.0; dropped");
        });
        // without the rule the tube is a finding
        ModelCard anyShape = contractWithoutElongation();
        assertThat(new FindingExtractor(anyShape).extract(volume, painter.map()).interpretation().findings()).hasSize(2);
    }

    private static ModelCard contractWithoutElongation() {
        ObjectMapper json = new ObjectMapper();
        try (java.io.InputStream in = Cards.class.getResourceAsStream("contract-card.json")) {
            ObjectNode tree = (ObjectNode) json.readTree(in);
            tree.get("labels").forEach(l -> {
                if (l.has("plausibility")) {
                    ((ObjectNode) l.get("plausibility")).remove("maxElongation");
                }
            });
            return ModelCardReader.read(json.writeValueAsBytes(tree), "contract");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
