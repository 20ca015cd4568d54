package org.groundflow.workflow.api;

import java.time.Instant;
import java.util.List;
import org.groundflow.inference.SetAside;

/** Request and answer bodies of the public REST API. */
public final class ReadRequests {

    private ReadRequests() {
    }

    public record StartRead(String studyInstanceUid) {
    }

    public record StartedRead(String readId, String processInstanceId) {
    }

    public record IncidentView(String step, String message, Instant since) {
    }

    /**
     * @param confidence    the model's confidence in the finding (0..1), null when the model gave none
     * @param lowConfidence whether the confidence is below the model card's bound for the label
     *                      ({@code confidence.lowBelowByLabel}, else {@code confidence.lowBelow})
     */
    public record FindingView(int number, String label, String text, String phrase, int segmentNumber,
                              Double confidence, boolean lowConfidence, String location, Double longestDiameterMm,
                              Double volumeMl, String decision, String signedText) {
    }

    /** How a read ended other than with a publication: the BPMN error's code and its message. */
    public record OutcomeView(String code, String message) {
    }

    /**
     * @param outcome    set when the read ended without a publication by a modelled path (e.g. nothing to read)
     * @param revisions  every sign-off of the read, the first and each amendment, oldest first
     * @param retraction set when the read was retracted
     * @param setAside   what the model segmented that the draft rewords or drops as implausible, with the reasons
     */
    public record ReadView(String readId, String processInstanceId, String studyInstanceUid, String seriesInstanceUid,
                           String state, OutcomeView outcome, List<String> currentSteps, List<IncidentView> incidents,
                           List<FindingView> findings, String impression, String reviewer, Instant signedAt,
                           String segSopInstanceUid, String diagnosticReportId, List<RevisionView> revisions,
                           RetractionView retraction, List<SetAside> setAside) {
    }

    /**
     * One sign-off of a read.
     *
     * @param number            1 for the first sign-off, 2 for the first amendment, ...
     * @param state             CURRENT (the newest), SUPERSEDED (amended since) or RETRACTED
     * @param segSopInstanceUid the SEG published for it; null when none was (yet), e.g. no finding kept or superseded
     * @param srSopInstanceUid  the SR published with that SEG
     */
    public record RevisionView(int number, String state, String reviewer, Instant signedAt, int kept,
                               String segSopInstanceUid, String srSopInstanceUid) {
    }

    /** @param rejectionNoteUid the rejection note stored to the PACS; null until it is stored */
    public record RetractionView(String retractedBy, Instant retractedAt, String reason, String rejectionNoteUid) {
    }

    /** An amendment opened: the review task to sign it in (as a review: {@code POST /api/reviews/{taskId}}). */
    public record AmendmentStarted(String readId, String processInstanceId, String taskId) {
    }

    public record RetractRead(String reason) {
    }

    /**
     * @param kind     RadiologistReview (a draft with findings), ConfirmNoFinding (the model found nothing) or AmendRead
     *                 (a signed read reopened: findings and impression as last signed)
     * @param setAside what the model segmented that the draft rewords or drops as implausible, with the reasons
     */
    public record ReviewTaskView(String taskId, String kind, String readId, String studyInstanceUid, Instant created,
                                 Instant due, int priority, List<FindingView> findings, String impression,
                                 List<SetAside> setAside) {
    }

    public record Decision(Integer finding, String decision, String text) {
    }

    public record ReviewSubmission(List<Decision> decisions, String impression, String reviewer) {
    }

    public record ReviewCompleted(String taskId, String readId, int kept, int rejected) {
    }

    public record CancelRead(String reason) {
    }
}
