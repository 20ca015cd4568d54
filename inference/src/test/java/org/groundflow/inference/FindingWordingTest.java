package org.groundflow.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.groundflow.dicomweb.CodedConcept;
import org.junit.jupiter.api.Test;

class FindingWordingTest {

    @Test
    void lateralityFollowsLps() {
        assertThat(Laterality.of(new double[] {-80, 0, 0})).isEqualTo(Laterality.RIGHT);
        assertThat(Laterality.of(new double[] {85, 0, 0})).isEqualTo(Laterality.LEFT);
        assertThat(Laterality.of(new double[] {4, 0, 0})).isEqualTo(Laterality.NONE);
        assertThat(Laterality.of(new double[] {-10, 0, 0})).as("on the midline tolerance").isEqualTo(Laterality.NONE);
    }

    @Test
    void theLocationIsWrittenFromTheLaterality() {
        assertThat(FindingWording.location(Laterality.RIGHT, "middle")).isEqualTo("right middle zone");
        assertThat(FindingWording.location(Laterality.LEFT, "upper")).isEqualTo("left upper zone");
        assertThat(FindingWording.location(Laterality.BILATERAL, "lower")).isEqualTo("bilateral lower zone");
        assertThat(FindingWording.location(Laterality.NONE, "lower")).isEqualTo("midline lower zone");
    }

    @Test
    void eachSideButNoneHasItsCid244Code() {
        assertThat(Laterality.RIGHT.code()).contains(CodedConcept.sct("24028007", "Right"));
        assertThat(Laterality.LEFT.code()).contains(CodedConcept.sct("7771000", "Left"));
        assertThat(Laterality.BILATERAL.code()).contains(CodedConcept.sct("51440002", "Right and left"));
        assertThat(Laterality.NONE.code()).isEmpty();
    }

    @Test
    void zonesAreThirdsOfTheScannedExtentWithHigherZSuperior() {
        assertThat(FindingWording.zone(50, -60, 57.5)).isEqualTo("upper");
        assertThat(FindingWording.zone(0, -60, 57.5)).isEqualTo("middle");
        assertThat(FindingWording.zone(-40, -60, 57.5)).isEqualTo("lower");
        assertThat(FindingWording.zone(3, 3, 3)).isEqualTo("middle");
    }

    @Test
    void sentenceContainsItsPhrase() {
        String phrase = FindingWording.phrase("nodule", 12.4);
        String sentence = FindingWording.sentence(phrase, "right middle zone", 0.81);
        assertThat(phrase).isEqualTo("12 mm nodule");
        assertThat(sentence).isEqualTo("A 12 mm nodule in the right middle zone (0.8 mL).").contains(phrase);
    }

    @Test
    void articleAndSmallVolumesReadWell() {
        assertThat(FindingWording.sentence(FindingWording.phrase("nodule", 8.2), "left upper zone", 0.06))
                .isEqualTo("An 8 mm nodule in the left upper zone (0.06 mL).");
        assertThat(FindingWording.sentence(FindingWording.phrase("cyst", 18), "midline lower zone", 3.14))
                .isEqualTo("An 18 mm cyst in the midline lower zone (3.1 mL).");
        assertThat(FindingWording.phrase("nodule", 0.3)).isEqualTo("1 mm nodule");
    }

    @Test
    void impressionCountsOrSaysNothingWasFound() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("nodule", 2);
        counts.put("cyst", 1);
        assertThat(FindingWording.impression(counts)).isEqualTo("2 nodules and 1 cyst; see findings.");
        counts.put("nodule", 0);
        assertThat(FindingWording.impression(counts)).isEqualTo("1 cyst; see findings.");
        counts.put("cyst", 0);
        assertThat(FindingWording.impression(counts)).isEqualTo("No nodule or cyst detected.");
    }
}
