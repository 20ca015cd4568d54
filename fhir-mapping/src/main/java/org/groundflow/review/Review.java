package org.groundflow.review;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.groundflow.inference.Finding;
import org.groundflow.inference.Interpretation;

/** Turns a radiologist's decisions on an AI draft into a sign-off, refusing anything ambiguous. */
public final class Review {

    private Review() {
    }

    /**
     * Every draft finding needs exactly one decision; an edit needs its new text; the impression defaults to the
     * draft's when left blank. Edited texts and the impression must be {@link PlainText} of at most
     * {@value PlainText#MAX_SIGNED_TEXT} characters.
     */
    public static SignOff sign(String readId, Interpretation draft, List<FindingDecision> decisions, String impression,
                               String reviewer, Instant signedAt) {
        if (reviewer == null || reviewer.isBlank()) {
            throw new InvalidReviewException("reviewer is missing");
        }
        if (decisions == null) {
            throw new InvalidReviewException("decisions are missing");
        }
        Map<Integer, FindingDecision> byFinding = new HashMap<>();
        for (FindingDecision decision : decisions) {
            if (draft.findings().stream().noneMatch(f -> f.number() == decision.finding())) {
                throw new InvalidReviewException("finding " + decision.finding() + " does not exist in the draft of study "
                        + draft.studyInstanceUid() + " (it has " + draft.findings().size() + " findings)");
            }
            if (byFinding.put(decision.finding(), decision) != null) {
                throw new InvalidReviewException("finding " + decision.finding() + " has more than one decision");
            }
            if (decision.decision() == Decision.EDIT && (decision.text() == null || decision.text().isBlank())) {
                throw new InvalidReviewException("finding " + decision.finding() + " is edited but has no text");
            }
            if (decision.decision() == Decision.EDIT) {
                requirePlain("the edited text of finding " + decision.finding(), decision.text());
            }
        }
        List<SignedFinding> kept = new ArrayList<>();
        List<Integer> rejected = new ArrayList<>();
        for (Finding finding : draft.findings()) {
            FindingDecision decision = byFinding.get(finding.number());
            if (decision == null) {
                throw new InvalidReviewException("finding " + finding.number() + " has no decision (accept, reject or edit)");
            }
            switch (decision.decision()) {
                case ACCEPT -> kept.add(new SignedFinding(finding, finding.text(), false, kept.size() + 1));
                case EDIT -> kept.add(new SignedFinding(finding, decision.text().trim(),
                        !decision.text().trim().equals(finding.text()), kept.size() + 1));
                case REJECT -> rejected.add(finding.number());
            }
        }
        if (impression != null) {
            requirePlain("the impression", impression);
        }
        String signedImpression = impression == null || impression.isBlank() ? draft.impression() : impression.trim();
        return new SignOff(readId, draft, kept, rejected, signedImpression, reviewer.trim(), signedAt);
    }

    private static void requirePlain(String what, String text) {
        PlainText.problem(text, PlainText.MAX_SIGNED_TEXT).ifPresent(problem -> {
            throw new InvalidReviewException(what + " " + problem);
        });
    }
}
