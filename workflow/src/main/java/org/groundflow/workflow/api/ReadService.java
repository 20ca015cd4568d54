package org.groundflow.workflow.api;

import static org.groundflow.workflow.process.ReadVariables.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.variable.Variables;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.Uid;
import org.groundflow.inference.Finding;
import org.groundflow.inference.Interpretation;
import org.groundflow.review.SignOff;
import org.groundflow.review.SignedFinding;
import org.groundflow.workflow.api.ReadRequests.FindingView;
import org.groundflow.workflow.api.ReadRequests.IncidentView;
import org.groundflow.workflow.api.ReadRequests.ReadView;
import org.groundflow.workflow.api.ReadRequests.StartedRead;
import org.groundflow.workflow.read.ReadStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Starts grounded reads and reports where each one stands. */
@Service
public class ReadService {

    private static final Logger log = LoggerFactory.getLogger(ReadService.class);

    private final RuntimeService runtime;
    private final HistoryService history;
    private final DicomWebClient pacs;
    private final ReadStore store;

    public ReadService(RuntimeService runtime, HistoryService history, DicomWebClient pacs, ReadStore store) {
        this.runtime = runtime;
        this.history = history;
        this.pacs = pacs;
        this.store = store;
    }

    /** Starts a read of the study; one read at a time per study. */
    public synchronized StartedRead start(String studyInstanceUid, String requestedBy) {
        Uid study;
        try {
            study = Uid.of(studyInstanceUid);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("studyInstanceUid is not a valid UID: " + e.getMessage());
        }
        if (pacs.findStudy(study).isEmpty()) {
            throw ApiException.notFound("study " + study + " was not found in the PACS");
        }
        ProcessInstance running = runtime.createProcessInstanceQuery()
                .processDefinitionKey(PROCESS_KEY).processInstanceBusinessKey(study.value()).active().listPage(0, 1)
                .stream().findFirst().orElse(null);
        if (running != null) {
            Object readId = runtime.getVariable(running.getId(), READ_ID);
            throw ApiException.conflict("study " + study + " already has a read running: " + readId);
        }
        String readId = UUID.randomUUID().toString();
        ProcessInstance instance = runtime.startProcessInstanceByKey(PROCESS_KEY, study.value(),
                Variables.createVariables().putValue(READ_ID, readId).putValue(STUDY_INSTANCE_UID, study.value())
                        .putValue(REQUESTED_BY, requestedBy));
        log.info("read {} started for study {} (process instance {})", readId, study, instance.getId());
        return new StartedRead(readId, instance.getId());
    }

    /**
     * Cancels a running read: the process ends as cancelled (nothing more is published), its tasks and incidents go.
     * The user who requested the read and admins may cancel it.
     */
    public ReadView cancel(String readId, String reason, String user, boolean admin) {
        HistoricProcessInstance instance = find(readId)
                .orElseThrow(() -> ApiException.notFound("no read with id " + readId));
        if (instance.getEndTime() != null) {
            throw ApiException.conflict("read " + readId + " has already ended (" + instance.getState() + ")");
        }
        Object requestedBy = runtime.getVariable(instance.getId(), REQUESTED_BY);
        if (!admin && !user.equals(requestedBy)) {
            throw new ApiException(org.springframework.http.HttpStatus.FORBIDDEN,
                    "read " + readId + " can be cancelled by whoever requested it or an admin, not by " + user);
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
        String state = state(instance, steps, incidents);

        Optional<Interpretation> draft = store.interpretation(readId);
        Optional<SignOff> signOff = store.signOff(readId);
        List<FindingView> findings = draft.map(d -> findings(d, signOff.orElse(null))).orElse(List.of());
        String impression = signOff.map(SignOff::impression).orElse(draft.map(Interpretation::impression).orElse(null));
        return new ReadView(readId, id, instance.getBusinessKey(), (String) variables.get(SERIES_INSTANCE_UID), state, steps,
                incidents, findings, impression, signOff.map(SignOff::reviewer).orElse(null),
                signOff.map(SignOff::signedAt).orElse(null),
                (String) variables.get(SEG_SOP_INSTANCE_UID), (String) variables.get(DIAGNOSTIC_REPORT_ID));
    }

    private Optional<HistoricProcessInstance> find(String readId) {
        if (!ReadStore.isReadId(readId)) {
            return Optional.empty();
        }
        return history.createHistoricProcessInstanceQuery().processDefinitionKey(PROCESS_KEY)
                .variableValueEquals(READ_ID, readId).listPage(0, 1).stream().findFirst();
    }

    private static String state(HistoricProcessInstance instance, List<String> steps, List<IncidentView> incidents) {
        if (instance.getEndTime() != null) {
            return HistoricProcessInstance.STATE_COMPLETED.equals(instance.getState()) ? "COMPLETED" : "CANCELLED";
        }
        if (!incidents.isEmpty()) {
            return "INCIDENT";
        }
        return steps.stream().anyMatch(SIGN_OFF_TASKS::contains) ? "AWAITING_REVIEW" : "RUNNING";
    }

    static List<FindingView> findings(Interpretation draft, SignOff signOff) {
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
                    f.location(), f.measurements() == null ? null : f.measurements().longestAxialDiameterMm(),
                    f.measurements() == null ? null : f.measurements().volumeMl(), decision, signedText));
        }
        return views;
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
