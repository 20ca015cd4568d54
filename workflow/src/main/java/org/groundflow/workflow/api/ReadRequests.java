package org.groundflow.workflow.api;

import java.time.Instant;
import java.util.List;

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

    public record FindingView(int number, String label, String text, String phrase, int segmentNumber,
                              double confidence, String location, Double longestDiameterMm, Double volumeMl,
                              String decision, String signedText) {
    }

    /** How a read ended other than with a publication: the BPMN error's code and its message. */
    public record OutcomeView(String code, String message) {
    }

    /** @param outcome set when the read ended without a publication by a modelled path (e.g. nothing to read) */
    public record ReadView(String readId, String processInstanceId, String studyInstanceUid, String seriesInstanceUid,
                           String state, OutcomeView outcome, List<String> currentSteps, List<IncidentView> incidents,
                           List<FindingView> findings, String impression, String reviewer, Instant signedAt,
                           String segSopInstanceUid, String diagnosticReportId) {
    }

    /** @param kind RadiologistReview (a draft with findings) or ConfirmNoFinding (the model found nothing) */
    public record ReviewTaskView(String taskId, String kind, String readId, String studyInstanceUid, Instant created,
                                 Instant due, int priority, List<FindingView> findings, String impression) {
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
