package org.groundflow.workflow.api;

import static org.groundflow.workflow.read.ReadVariables.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.task.TaskQuery;
import org.camunda.bpm.engine.variable.Variables;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.Interpreter;
import org.groundflow.inference.ModelCard;
import org.groundflow.review.SignOff;
import org.groundflow.workflow.api.ReadRequests.ReviewCompleted;
import org.groundflow.workflow.api.ReadRequests.ReviewSubmission;
import org.groundflow.workflow.api.ReadRequests.ReviewTaskView;
import org.groundflow.review.Decision;
import org.groundflow.review.FindingDecision;
import org.groundflow.review.InvalidReviewException;
import org.groundflow.workflow.read.ReadStore;
import org.groundflow.workflow.read.Retractions;
import org.groundflow.workflow.audit.SignOffAudit;
import org.groundflow.workflow.monitoring.SignOffOutcomes;
import org.groundflow.review.Review;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.exception.NullValueException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.annotation.Transactional;
import org.groundflow.workflow.security.SignedInUser;
import org.springframework.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Lists open radiologist reviews (amendments among them) and signs them off. */
@Service
public class ReviewService {

    private static final Logger log = LoggerFactory.getLogger(ReviewService.class);

    private final TaskService tasks;
    private final RuntimeService runtime;
    private final ReadStore store;
    private final SignOffAudit audit;
    private final SignOffOutcomes outcomes;
    private final Retractions retractions;
    private final ModelCard.ConfidencePolicy confidence;

    public ReviewService(TaskService tasks, RuntimeService runtime, ReadStore store, SignOffAudit audit,
                         SignOffOutcomes outcomes, Retractions retractions, Interpreter interpreter) {
        this.tasks = tasks;
        this.runtime = runtime;
        this.store = store;
        this.audit = audit;
        this.outcomes = outcomes;
        this.retractions = retractions;
        this.confidence = interpreter.card().confidence();
    }

    /** Open review tasks of the signed-in user's groups, and those assigned to the user. */
    public List<ReviewTaskView> open() {
        SignedInUser user = SignedInUser.current();
        List<ReviewTaskView> views = new ArrayList<>();
        if (user.groups().isEmpty()) {
            return views;
        }
        for (Task task : signingTasks().active().or().taskCandidateGroupIn(user.groups()).taskAssignee(user.id()).endOr()
                .orderByTaskCreateTime().asc().list()) {
            String readId = (String) runtime.getVariable(task.getExecutionId(), READ_ID);
            String study = (String) runtime.getVariable(task.getExecutionId(), STUDY_INSTANCE_UID);
            Interpretation draft = store.interpretation(readId).orElse(null);
            // an amendment starts from the read as last signed; a review from the AI draft
            SignOff signed = AMEND_TASK.equals(task.getTaskDefinitionKey()) ? store.signOff(readId).orElse(null) : null;
            views.add(new ReviewTaskView(task.getId(), task.getTaskDefinitionKey(), readId, study,
                    task.getCreateTime().toInstant(), task.getDueDate() == null ? null : task.getDueDate().toInstant(),
                    task.getPriority(),
                    draft == null ? List.of() : ReadService.findings(draft, signed, confidence),
                    signed != null ? signed.impression() : draft == null ? null : draft.impression(),
                    draft == null ? List.of() : draft.setAside()));
        }
        return views;
    }

    /** Open tasks in which a radiologist signs a read: reviews, no-finding confirmations and amendments. */
    private TaskQuery signingTasks() {
        return tasks.createTaskQuery().processDefinitionKeyIn(SIGNING_PROCESSES.toArray(String[]::new))
                .taskDefinitionKeyIn(SIGNING_TASKS.toArray(String[]::new));
    }

    /**
     * Signs the review: the sign-off, its audit record and the task's completion commit together, or none does. Of two
     * sign-offs of one task at the same moment the database lets one commit (the sign-off's keys on read and task, and
     * the engine's optimistic lock on the task's execution); the other answers 409 and leaves nothing behind, and so
     * does a sign-off of a task signed before.
     */
    @Transactional
    public ReviewCompleted complete(String taskId, ReviewSubmission submission) {
        try {
            return sign(taskId, submission);
        } catch (DuplicateKeyException | ConcurrencyFailureException | OptimisticLockingException e) {
            // the sign-off's keys, a row lock or the engine's optimistic lock on the task's execution: another
            // request got there first, and this transaction rolls back whole
            throw ApiException.conflict("review task " + taskId + " was signed by another request at the same moment;"
                    + " only the first sign-off counts");
        } catch (NullValueException e) {
            // the task was found open, then completed by another request before this one read its candidates
            throw noOpenTask(taskId);
        }
    }

    /** A task that is not open: 409 when it was signed (naming by whom and when), else 404. */
    private ApiException noOpenTask(String taskId) {
        return store.signOffOfTask(taskId).map(signed -> ApiException.conflict("review task " + taskId + " of read "
                + signed.readId() + " was signed already, by " + signed.reviewer() + " at " + signed.signedAt()))
                .orElseGet(() -> ApiException.notFound("no open review task with id " + taskId));
    }

    private ReviewCompleted sign(String taskId, ReviewSubmission submission) {
        Task task = signingTasks().taskId(taskId).singleResult();
        if (task == null) {
            throw noOpenTask(taskId);
        }
        if (submission == null) {
            throw new InvalidReviewException("review body is missing");
        }
        SignedInUser user = SignedInUser.current();
        List<String> candidateGroups = tasks.getIdentityLinksForTask(taskId).stream()
                .filter(link -> IdentityLinkType.CANDIDATE.equals(link.getType()) && link.getGroupId() != null)
                .map(IdentityLink::getGroupId).toList();
        boolean assignedToOther = task.getAssignee() != null && !task.getAssignee().equals(user.id());
        if (assignedToOther || !(user.id().equals(task.getAssignee()) || user.memberOfAny(candidateGroups))) {
            if (signingTasks().taskId(taskId).singleResult() == null) {
                // signed by another request since this one found it: its candidates went with it
                throw noOpenTask(taskId);
            }
            throw new ApiException(HttpStatus.FORBIDDEN, "review task " + taskId + " belongs to " + candidateGroups
                    + (task.getAssignee() == null ? "" : " (assigned to another user)") + ", not to " + user.id());
        }
        if (submission.reviewer() != null && !submission.reviewer().isBlank() && !submission.reviewer().equals(user.id())) {
            throw new ApiException(HttpStatus.FORBIDDEN, "reviewer '" + submission.reviewer()
                    + "' is not the signed-in user " + user.id() + "; a read is signed by whoever signs in");
        }
        String readId = (String) runtime.getVariable(task.getExecutionId(), READ_ID);
        Interpretation draft = store.interpretation(readId).orElseThrow(
                () -> ApiException.conflict("read " + readId + " has no draft to review"));
        List<FindingDecision> decisions = new ArrayList<>();
        for (ReadRequests.Decision d : submission.decisions() == null ? List.<ReadRequests.Decision>of() : submission.decisions()) {
            if (d.finding() == null) {
                throw new InvalidReviewException("a decision names no finding");
            }
            decisions.add(new FindingDecision(d.finding(), Decision.parse(d.decision()), d.text()));
        }
        Instant now = Instant.now();
        SignOff signOff = Review.sign(readId, draft, decisions, submission.impression(), user.id(), now);
        if (AMEND_TASK.equals(task.getTaskDefinitionKey())) {
            retractions.of(readId).ifPresent(retraction -> {
                throw ApiException.conflict("read " + readId + " was retracted by " + retraction.retractedBy() + " at "
                        + retraction.retractedAt() + "; it can no longer be amended");
            });
            store.amendSignOff(taskId, signOff);
        } else {
            store.saveSignOff(taskId, signOff);
        }
        audit.record(signOff);
        outcomes.record(signOff, task.getCreateTime().toInstant());
        tasks.setAssignee(taskId, user.id());
        tasks.complete(taskId, Variables.createVariables()
                .putValue(REVIEWER, signOff.reviewer())
                .putValue(KEPT_FINDING_COUNT, signOff.kept().size())
                .putValue(SIGNED_AT, now.toString()));
        log.info("read {} signed: {} finding(s) kept, {} rejected", readId, signOff.kept().size(), signOff.rejected().size());
        return new ReviewCompleted(taskId, readId, signOff.kept().size(), signOff.rejected().size());
    }
}
