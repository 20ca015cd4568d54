package org.groundflow.workflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.Uid;
import org.groundflow.inference.Finding;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.Laterality;
import org.groundflow.inference.ModelCard;
import org.groundflow.inference.ModelIdentity;
import org.junit.jupiter.api.Test;

/** The review API's low-confidence flag follows the card's bound for each finding's label. */
class FindingViewsTest {

    @Test
    void aLabelsOwnBoundFlagsItsFindingsAndTheCardsBoundTheRest() {
        Interpretation draft = new Interpretation(Uid.of("2.25.11"), Uid.of("2.25.12"),
                new ModelIdentity("test", "1", Uid.of("2.25.1"), "Groundflow"), List.of(
                        finding(1, "nodule", 0.93), finding(2, "liver lesion", 0.86), finding(3, "liver lesion", 0.91),
                        finding(4, "mass", 0.65), finding(5, "nodule", 0.97)), "impression");
        ModelCard.ConfidencePolicy policy = new ModelCard.ConfidencePolicy(0.7,
                Map.of("nodule", 0.96, "liver lesion", 0.87));

        assertThat(ReadService.findings(draft, null, policy)).extracting(ReadRequests.FindingView::lowConfidence)
                .containsExactly(true, true, false, true, false);
        // without bounds nothing is flagged
        assertThat(ReadService.findings(draft, null, new ModelCard.ConfidencePolicy(null, null)))
                .noneMatch(ReadRequests.FindingView::lowConfidence);
    }

    private static Finding finding(int number, String label, double confidence) {
        return new Finding(number, label, new CodedConcept("27925004", "SCT", "Nodule"), "A " + label + ".", label,
                number, confidence, null, "right upper zone", CodedConcept.sct("39607008", "Lung"), Laterality.RIGHT);
    }
}
