package org.groundflow.workflow.api;

import static org.groundflow.workflow.read.ReadVariables.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.variable.Variables;
import org.groundflow.dicomweb.Uid;
import org.groundflow.publication.Revision;
import org.groundflow.review.PlainText;
import org.groundflow.review.SignOff;
import org.groundflow.workflow.api.ReadRequests.AmendmentStarted;
import org.groundflow.workflow.api.ReadRequests.RetractionView;
import org.groundflow.workflow.api.ReadRequests.RevisionView;
import org.groundflow.workflow.audit.SignOffAudit;
import org.groundflow.workflow.read.ReadStore;
import org.groundflow.workflow.read.Retraction;
import org.groundflow.workflow.read.Retractions;
import org.groundflow.workflow.read.RevisionLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The revisions of a signed read: an amendment (process {@code amend-read}: a radiologist signs the read again, the
 * new revision is published) and the retraction (process {@code retract-read}: recorded and audited here, then
 * withdrawn in the PACS and the EHR), and what the REST API shows of them.
 */
@Service
public class ReadRevisions {

    private static final Logger log = LoggerFactory.getLogger(ReadRevisions.class);

    private final RuntimeService runtime;
    private final HistoryService history;
    private final TaskService tasks;
    private final ReadStore store;
    private final RevisionLedger ledger;
    private final Retractions retractions;
    private final SignOffAudit audit;

    public ReadRevisions(RuntimeService runtime, HistoryService history, TaskService tasks, ReadStore store,
                         RevisionLedger ledger, Retractions retractions, SignOffAudit audit) {
        this.runtime = runtime;
        this.history = history;
        this.tasks = tasks;
        this.store = store;
        this.ledger = ledger;
        this.retractions = retractions;
        this.audit = audit;
    }

    /**
     * Reopens a signed, published read for amendment: a review task whose starting point is the read as last signed.
     * 409 when the read is not signed and published yet, was retracted, or has an amendment open.
     */
    @Transactional
    public AmendmentStarted amend(String readId, String user) {
        Uid study = requireSignedAndEnded(readId, "amended");
        requireNotRetracted(readId);
        Optional<ProcessInstance> open = openAmendment(readId);
        if (open.isPresent()) {
            throw ApiException.conflict("read " + readId + " has an amendment open already (process "
                    + open.get().getId() + "); sign or cancel it first");
        }
        ProcessInstance amendment = runtime.startProcessInstanceByKey(AMEND_PROCESS_KEY, study.value(),
                Variables.createVariables().putValue(READ_ID, readId).putValue(STUDY_INSTANCE_UID, study.value())
                        .putValue(REQUESTED_BY, user));
        String taskId = tasks.createTaskQuery().processInstanceId(amendment.getId()).singleResult().getId();
        log.info("read {} of study {} reopened for amendment by {} (task {})", readId, study.value(), user, taskId);
        return new AmendmentStarted(readId, amendment.getId(), taskId);
    }

    /**
     * Retracts a signed, published read: recorded and audited (who, when, why) with the start of the process that
     * withdraws it; an open amendment is cancelled. {@code reason}: plain text of 1 to {@value ReadService#MAX_REASON}
     * characters. 409 when the read is not signed and published yet, or was retracted already.
     */
    @Transactional
    public void retract(String readId, String reason, String user) {
        if (reason == null || reason.isBlank()) {
            throw ApiException.badRequest("reason is required: say why read " + readId + " is retracted");
        }
        PlainText.problem(reason, ReadService.MAX_REASON).ifPresent(problem -> {
            throw ApiException.badRequest("reason " + problem);
        });
        Uid study = requireSignedAndEnded(readId, "retracted");
        requireNotRetracted(readId);
        Instant now = Instant.now();
        try {
            retractions.record(new Retraction(readId, user, now, reason.trim(), null));
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict("read " + readId + " was retracted by another request at the same moment");
        }
        audit.recordRetraction(readId, study.value(), user, now, reason.trim());
        openAmendment(readId).ifPresent(amendment -> runtime.deleteProcessInstance(amendment.getId(),
                "read retracted by " + user, false, true));
        runtime.startProcessInstanceByKey(RETRACT_PROCESS_KEY, study.value(), Variables.createVariables()
                .putValue(READ_ID, readId).putValue(STUDY_INSTANCE_UID, study.value()).putValue(REQUESTED_BY, user));
        log.info("read {} of study {} retracted by {}", readId, study.value(), user);
    }

    /** Every sign-off of the read with what was published of it, oldest first. */
    public List<RevisionView> revisions(String readId) {
        List<SignOff> signOffs = store.signOffs(readId);
        List<Revision> published = ledger.revisions(readId);
        boolean retracted = retractions.of(readId).isPresent();
        List<RevisionView> views = new ArrayList<>();
        for (int i = 0; i < signOffs.size(); i++) {
            SignOff signOff = signOffs.get(i);
            Optional<Revision> revision = published.stream().filter(r -> r.isSignOffAt(signOff.signedAt())).findFirst();
            String state = retracted ? "RETRACTED" : i == signOffs.size() - 1 ? "CURRENT" : "SUPERSEDED";
            views.add(new RevisionView(i + 1, state, signOff.reviewer(), signOff.signedAt(), signOff.kept().size(),
                    revision.map(r -> r.segSopInstanceUid().value()).orElse(null),
                    revision.map(r -> r.srSopInstanceUid().value()).orElse(null)));
        }
        return views;
    }

    public Optional<RetractionView> retraction(String readId) {
        return retractions.of(readId).map(r -> new RetractionView(r.retractedBy(), r.retractedAt(), r.reason(),
                r.rejectionNoteUid()));
    }

    /** The read's study, once its read process has ended with a sign-off; 404 or 409 otherwise. */
    private Uid requireSignedAndEnded(String readId, String what) {
        HistoricProcessInstance read = history.createHistoricProcessInstanceQuery().processDefinitionKey(PROCESS_KEY)
                .variableValueEquals(READ_ID, readId).listPage(0, 1).stream().findFirst()
                .orElseThrow(() -> ApiException.notFound("no read with id " + readId));
        if (store.signOff(readId).isEmpty()) {
            throw ApiException.conflict("read " + readId + " has not been signed; only a signed read can be " + what);
        }
        if (read.getEndTime() == null) {
            throw ApiException.conflict("read " + readId + " is still being published; it can be " + what
                    + " once it has ended");
        }
        return Uid.of(read.getBusinessKey());
    }

    private void requireNotRetracted(String readId) {
        retractions.of(readId).ifPresent(r -> {
            throw ApiException.conflict("read " + readId + " was retracted by " + r.retractedBy() + " at "
                    + r.retractedAt());
        });
    }

    private Optional<ProcessInstance> openAmendment(String readId) {
        return runtime.createProcessInstanceQuery().processDefinitionKey(AMEND_PROCESS_KEY)
                .variableValueEquals(READ_ID, readId).list().stream().findFirst();
    }
}
