package org.groundflow.workflow.api;

import static org.groundflow.workflow.read.ReadVariables.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.groundflow.inference.Finding;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.Interpreter;
import org.groundflow.inference.ModelCard;
import org.groundflow.review.PlainText;
import org.groundflow.review.SignOff;
import org.groundflow.review.SignedFinding;
import org.groundflow.workflow.api.ReadRequests.FindingView;
import org.groundflow.workflow.api.ReadRequests.IncidentView;
import org.groundflow.workflow.api.ReadRequests.OutcomeView;
import org.groundflow.workflow.api.ReadRequests.ReadView;
import org.groundflow.workflow.api.ReadRequests.StartedRead;
import org.groundflow.workflow.read.ReadStarts;
import org.groundflow.workflow.read.ReadStarts.AlreadyRunning;
import org.groundflow.workflow.read.ReadStarts.NotAUid;
import org.groundflow.workflow.read.ReadStarts.Outcome;
import org.groundflow.workflow.read.ReadStarts.Started;
import org.groundflow.workflow.read.ReadStarts.UnknownStudy;
import org.groundflow.workflow.read.ReadStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Starts grounded reads for the REST API, reports where each one stands and cancels them. */
@Service
public class ReadService {

    /** The longest reason a read is cancelled for (the engine keeps it with the cancelled process). */
    static final int MAX_REASON = 1000;

    private static final Logger log = LoggerFactory.getLogger(ReadService.class);

    private final RuntimeService runtime;
    private final HistoryService history;
    private final ReadStarts starts;
    private final ReadStore store;
    private final ReadRevisions revisions;
    private final ModelCard.ConfidencePolicy confidence;

    public ReadService(RuntimeService runtime, HistoryService history, ReadStarts starts, ReadStore store,
                       ReadRevisions revisions, Interpreter interpreter) {
        this.runtime = runtime;
        this.history = history;
        this.starts = starts;
        this.store = store;
        this.revisions = revisions;
        this.confidence = interpreter.card().confidence();
    }

    /**
     * Starts a read of the study as the REST API answers it: the read, or 400 (not a UID), 404 (not in the PACS) or
     * 409 (a read of the study is running).
     */
    public StartedRead start(String studyInstanceUid, String requestedBy) {
        Outcome outcome = starts.start(studyInstanceUid, requestedBy);
        if (outcome instanceof Started started) {
            return new StartedRead(started.readId(), started.processInstanceId());
        }
        if (outcome instanceof AlreadyRunning running) {
            throw ApiException.conflict("study " + running.study() + " already has a read running: "
                    + running.readId());
        }
        if (outcome instanceof UnknownStudy unknown) {
            throw ApiException.notFound("study " + unknown.study() + " was not found in the PACS");
        }
        NotAUid invalid = (NotAUid) outcome;
        throw ApiException.badRequest("studyInstanceUid is not a valid UID: " + invalid.reason());
    }

    /**
     * Cancels a running read: the process ends as cancelled (nothing more is published), its tasks and incidents go.
     * Who may cancel it is {@link ReadAccess#requireCanceller}'s rule; {@code reason} is plain text of at most
     * {@value #MAX_REASON} characters.
     */
    public ReadView cancel(String readId, String reason, String user) {
        if (reason != null) {
            PlainText.problem(reason, MAX_REASON).ifPresent(problem -> {
                throw ApiException.badRequest("reason " + problem);
            });
        }
        HistoricProcessInstance instance = find(readId)
                .orElseThrow(() -> ApiException.notFound("no read with id " + readId));
        if (instance.getEndTime() != null) {
            throw ApiException.conflict("read " + readId + " has already ended (" + instance.getState() + ")");
        }
        String why = reason == null || reason.isBlank() ? "no reason given" : reason.trim();
        runtime.deleteProcessInstance(instance.getId(), "cancelled by " + user + ": " + why, false, true);
        log.info("read {} of study {} cancelled by {}", readId, instance.getBusinessKey(), user);
        return view(readId);
    }

    public ReadView view(String readId) {
        HistoricProcessInstance instance = find(readId)
                .orElseThrow(() -> ApiException.notFound("no read with id " + readId));
        String id = instance.getId();
        Map<String, Object> variables = new HashMap<>();
        for (HistoricVariableInstance v : history.createHistoricVariableInstanceQuery().processInstanceId(id).list()) {
            variables.put(v.getName(), v.getValue());
        }
        List<IncidentView> incidents = runtime.createIncidentQuery().processInstanceId(id).list().stream()
                .map(i -> new IncidentView(i.getActivityId(), i.getIncidentMessage(), instant(i.getIncidentTimestamp())))
                .toList();
        boolean ended = instance.getEndTime() != null;
        List<String> steps = ended ? List.of() : runtime.getActiveActivityIds(id);
        OutcomeView outcome = variables.get(OUTCOME) == null ? null
                : new OutcomeView((String) variables.get(OUTCOME), (String) variables.get(OUTCOME_MESSAGE));
        String state = state(instance, outcome, steps, incidents);

        Optional<Interpretation> draft = store.interpretation(readId);
        Optional<SignOff> signOff = store.signOff(readId);
        List<FindingView> findings = draft.map(d -> findings(d, signOff.orElse(null), confidence)).orElse(List.of());
        String impression = signOff.map(SignOff::impression).orElse(draft.map(Interpretation::impression).orElse(null));
        return new ReadView(readId, id, instance.getBusinessKey(), (String) variables.get(SERIES_INSTANCE_UID), state,
                outcome, steps, incidents, findings, impression, signOff.map(SignOff::reviewer).orElse(null),
                signOff.map(SignOff::signedAt).orElse(null),
                (String) variables.get(SEG_SOP_INSTANCE_UID), (String) variables.get(DIAGNOSTIC_REPORT_ID),
                revisions.revisions(readId), revisions.retraction(readId).orElse(null),
                draft.map(Interpretation::setAside).orElse(List.of()));
    }

    private Optional<HistoricProcessInstance> find(String readId) {
        if (!ReadStore.isReadId(readId)) {
            return Optional.empty();
        }
        return history.createHistoricProcessInstanceQuery().processDefinitionKey(PROCESS_KEY)
                .variableValueEquals(READ_ID, readId).listPage(0, 1).stream().findFirst();
    }

    private static String state(HistoricProcessInstance instance, OutcomeView outcome, List<String> steps,
                                List<IncidentView> incidents) {
        if (instance.getEndTime() != null) {
            if (!HistoricProcessInstance.STATE_COMPLETED.equals(instance.getState())) {
                return "CANCELLED";
            }
            boolean nothing = outcome != null
                    && (NO_READABLE_SERIES.equals(outcome.code()) || OUTSIDE_MODEL_DOMAIN.equals(outcome.code()));
            return nothing ? "NOTHING_TO_READ" : "COMPLETED";
        }
        if (!incidents.isEmpty()) {
            return "INCIDENT";
        }
        return steps.stream().anyMatch(SIGN_OFF_TASKS::contains) ? "AWAITING_REVIEW" : "RUNNING";
    }

    /** The draft's findings as the API shows them, flagged where the card calls their confidence low. */
    static List<FindingView> findings(Interpretation draft, SignOff signOff, ModelCard.ConfidencePolicy confidence) {
        List<FindingView> views = new ArrayList<>();
        for (Finding f : draft.findings()) {
            String decision = null;
            String signedText = null;
            if (signOff != null) {
                SignedFinding kept = signOff.kept().stream().filter(k -> k.finding().number() == f.number())
                        .findFirst().orElse(null);
                decision = kept == null ? "reject" : kept.edited() ? "edit" : "accept";
                signedText = kept == null ? null : kept.text();
            }
            views.add(new FindingView(f.number(), f.label(), f.text(), f.phrase(), f.segmentNumber(), f.confidence(),
                    confidence.low(f.label(), f.confidence()), f.location(), f.measurements() == null ? null : f.measurements().longestAxialDiameterMm(),
                    f.measurements() == null ? null : f.measurements().volumeMl(), decision, signedText));
        }
        return views;
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
