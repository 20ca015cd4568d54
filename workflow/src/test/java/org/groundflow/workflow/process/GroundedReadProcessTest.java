package org.groundflow.workflow.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;
import static org.groundflow.workflow.read.ReadVariables.*;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.history.HistoricVariableUpdate;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.bpm.engine.variable.Variables;
import org.groundflow.workflow.config.GroundflowProperties;
import org.groundflow.workflow.read.ReviewEscalation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The grounded-read model's paths, with the steps replaced by recorders (no Spring, no servers). */
@Deployment(resources = "bpmn/grounded-read.bpmn")
class GroundedReadProcessTest {

    @RegisterExtension
    static ProcessEngineExtension engine = ProcessEngineExtension.builder().build();

    private final List<String> calls = new ArrayList<>();

    /** What {@code ${reviewDeadline.…}} and {@code ${stepRetries.cycle}} resolve to in these tests. */
    public static class Deadline {
        public Date getDueDate() {
            return new Date(System.currentTimeMillis() + 3_600_000);
        }

        public String getEscalateAfter() {
            return "PT2H";
        }
    }

    public static class Retries {
        public String getCycle() {
            return "R2/PT1S";
        }
    }

    @BeforeEach
    void steps() {
        // the application tests' engine may be registered in the same JVM: the assertions use this one
        BpmnAwareTests.init(engine.getProcessEngine());
        Mocks.register("retrieveStudyStep", recorder("retrieve", Map.of(SERIES_INSTANCE_UID, "1.2.3.4")));
        Mocks.register("publishDicomStep", recorder("publishDicom", Map.of(SEG_SOP_INSTANCE_UID, "2.25.1")));
        Mocks.register("publishFhirStep", recorder("publishFhir", Map.of(DIAGNOSTIC_REPORT_ID, "DiagnosticReport/1")));
        Mocks.register("escalateReviewStep", recorder("escalate", Map.of(ESCALATED, true)));
        Mocks.register("reviewDeadline", new Deadline());
        Mocks.register("stepRetries", new Retries());
        Mocks.register("draftArrival", listener("draftArrival"));
        Mocks.register("readEnd", listener("readEnd"));
    }

    private ExecutionListener listener(String name) {
        return execution -> calls.add(name);
    }

    @AfterEach
    void reset() {
        Mocks.reset();
    }

    private JavaDelegate recorder(String name, Map<String, Object> outputs) {
        return execution -> {
            calls.add(name);
            outputs.forEach(execution::setVariable);
        };
    }

    private ProcessInstance startAndInterpret(int findings) {
        ProcessEngine processEngine = engine.getProcessEngine();
        ProcessInstance read = processEngine.getRuntimeService().startProcessInstanceByKey(PROCESS_KEY, "1.2.3",
                withVariables(READ_ID, "00000000-0000-0000-0000-000000000001", STUDY_INSTANCE_UID, "1.2.3"));
        assertThat(read).isWaitingAt("RetrieveStudy");
        execute(job());
        assertThat(read).isWaitingAt("Interpret");
        List<LockedExternalTask> locked = processEngine.getExternalTaskService().fetchAndLock(1, "test")
                .topic(INTERPRET_TOPIC, 60_000).variables(READ_ID, STUDY_INSTANCE_UID).execute();
        assertThat(locked).as("external tasks: %s", processEngine.getExternalTaskService().createExternalTaskQuery().list().stream()
                .map(t -> t.getTopicName() + "/" + t.getLockExpirationTime() + "/" + t.getRetries() + "/" + t.isSuspended()).toList()).hasSize(1);
        assertThat(locked.get(0).getVariables()).containsEntry(STUDY_INSTANCE_UID, "1.2.3");
        processEngine.getExternalTaskService().complete(locked.get(0).getId(), "test", Map.of(FINDING_COUNT, findings));
        return read;
    }

    @Test
    void keptFindingsArePublishedAsSegThenFhir() {
        ProcessInstance read = startAndInterpret(3);
        assertThat(read).isWaitingAt(REVIEW_TASK).task().hasCandidateGroup(RADIOLOGISTS);
        assertThat(task().getDueDate()).isAfter(new Date());
        complete(task(), withVariables(KEPT_FINDING_COUNT, 2, REVIEWER, "rad1"));
        execute(job());
        execute(job());
        assertThat(read).hasPassedInOrder("RetrieveStudy", "Interpret", REVIEW_TASK, "PublishDicom", "PublishFhir")
                .isEnded();
        assertThat(calls).containsExactly("retrieve", "draftArrival", "publishDicom", "publishFhir", "readEnd");
    }

    @Test
    void theDraftHandedOverWithTheCompletionReachesTheEndListenerAndIsNeverStored() {
        Map<String, Object> seen = new HashMap<>();
        Mocks.register("draftArrival", (ExecutionListener) execution -> {
            for (String name : List.of(DRAFT_INTERPRETATION, DRAFT_MASKS, DRAFT_VOLUME)) {
                seen.put(name, execution.getVariable(name));
            }
        });
        ProcessEngine processEngine = engine.getProcessEngine();
        ProcessInstance read = processEngine.getRuntimeService().startProcessInstanceByKey(PROCESS_KEY, "1.2.3",
                withVariables(READ_ID, "00000000-0000-0000-0000-000000000004", STUDY_INSTANCE_UID, "1.2.3"));
        assertThat(read).isWaitingAt("RetrieveStudy");
        execute(job());
        LockedExternalTask task = processEngine.getExternalTaskService().fetchAndLock(1, "test")
                .topic(INTERPRET_TOPIC, 60_000).execute().get(0);

        processEngine.getExternalTaskService().complete(task.getId(), "test", Variables.createVariables()
                .putValue(FINDING_COUNT, 1)
                .putValueTyped(DRAFT_INTERPRETATION, Variables.stringValue("{\"draft\": 1}", true))
                .putValueTyped(DRAFT_VOLUME, Variables.stringValue("{\"volume\": 1}", true))
                .putValueTyped(DRAFT_MASKS, Variables.byteArrayValue(new byte[] {1, 2, 3}, true)));

        assertThat(read).isWaitingAt(REVIEW_TASK);
        assertThat(seen).containsEntry(DRAFT_INTERPRETATION, "{\"draft\": 1}").containsEntry(DRAFT_VOLUME, "{\"volume\": 1}");
        assertThat((byte[]) seen.get(DRAFT_MASKS)).containsExactly(1, 2, 3);
        assertThat(processEngine.getRuntimeService().getVariables(read.getId())).containsOnlyKeys(READ_ID,
                STUDY_INSTANCE_UID, SERIES_INSTANCE_UID, FINDING_COUNT);
        assertThat(processEngine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(read.getId())
                .list()).extracting(v -> v.getName()).doesNotContain(DRAFT_INTERPRETATION, DRAFT_MASKS, DRAFT_VOLUME);
        assertThat(processEngine.getHistoryService().createHistoricDetailQuery().processInstanceId(read.getId())
                .variableUpdates().list()).as("variable updates in the history")
                .extracting(d -> ((HistoricVariableUpdate) d).getVariableName()).contains(FINDING_COUNT)
                .doesNotContain(DRAFT_INTERPRETATION, DRAFT_MASKS, DRAFT_VOLUME);
    }

    @Test
    void allFindingsRejectedPublishesAReportWithoutSeg() {
        ProcessInstance read = startAndInterpret(2);
        complete(task(), withVariables(KEPT_FINDING_COUNT, 0, REVIEWER, "rad1"));
        execute(job());
        assertThat(read).hasPassed("PublishFhir").hasNotPassed("PublishDicom").isEnded();
        assertThat(calls).containsExactly("retrieve", "draftArrival", "publishFhir", "readEnd");
    }

    @Test
    void noFindingIsConfirmedByARadiologistThenReported() {
        ProcessInstance read = startAndInterpret(0);
        assertThat(read).isWaitingAt(CONFIRM_NO_FINDING_TASK).task().hasCandidateGroup(RADIOLOGISTS);
        complete(task(), withVariables(KEPT_FINDING_COUNT, 0, REVIEWER, "rad1"));
        execute(job());
        assertThat(read).hasPassed(CONFIRM_NO_FINDING_TASK, "PublishFhir").hasNotPassed(REVIEW_TASK, "PublishDicom").isEnded();
    }

    @Test
    void anOverdueReviewIsEscalatedAndStaysOpen() {
        ProcessInstance read = startAndInterpret(1);
        Job timer = engine.getProcessEngine().getManagementService().createJobQuery().processInstanceId(read.getId())
                .timers().singleResult();
        assertThat(timer).isNotNull();
        assertThat(timer.getDuedate()).isAfter(new Date(System.currentTimeMillis() + 3_500_000));
        execute(timer);
        execute(job("EscalateReview"));
        assertThat(read).hasPassed("EscalateReview", "ReviewEscalated").isWaitingAt(REVIEW_TASK);
        assertThat(calls).containsExactly("retrieve", "draftArrival", "escalate");
    }

    @Test
    void reassigningAnOverdueReviewOffersItToTheEscalationGroup() {
        ProcessInstance read = startAndInterpret(1);
        GroundflowProperties properties = new GroundflowProperties(Path.of("."), null, null, null, "R3/PT30S", "test",
                null, new GroundflowProperties.Review(Duration.ofHours(1), Duration.ofHours(2),
                        GroundflowProperties.Escalation.REASSIGN, "seniorradiologists"), null, null, null, null);
        var tasks = engine.getProcessEngine().getTaskService();
        List<String> escalated = new ReviewEscalation(tasks, properties).escalate(read.getId(), "read-1");

        assertThat(escalated).containsExactly(task().getId());
        assertThat(task()).hasCandidateGroup("seniorradiologists").hasCandidateGroup(RADIOLOGISTS);
        assertThat(task().getPriority()).isEqualTo(90);
        assertThat(tasks.getTaskComments(task().getId())).singleElement()
                .satisfies(c -> assertThat(c.getFullMessage()).contains("overdue").contains("seniorradiologists"));
    }

    @Test
    void aStudyWithNothingToReadEndsAtItsEndEventWithTheMessageAndNoIncident() {
        String message = "study 1.2.3 has no [CT] series to read (series found: MR 1.2.3.1)";
        Mocks.register("retrieveStudyStep", (JavaDelegate) execution -> {
            calls.add("retrieve");
            throw new BpmnError(NO_READABLE_SERIES, message);
        });
        ProcessInstance read = engine.getProcessEngine().getRuntimeService().startProcessInstanceByKey(PROCESS_KEY,
                "1.2.3", withVariables(READ_ID, "00000000-0000-0000-0000-000000000003", STUDY_INSTANCE_UID, "1.2.3"));
        assertThat(read).isWaitingAt("RetrieveStudy");
        execute(job());

        assertThat(read).hasPassedInOrder("RetrieveStudy", "NoReadableSeries", NOTHING_TO_READ_END)
                .hasNotPassed("Interpret", "PublishFhir").isEnded();
        assertThat(calls).containsExactly("retrieve", "readEnd");
        assertThat(engine.getProcessEngine().getManagementService().createJobQuery().processInstanceId(read.getId())
                .count()).as("jobs left").isZero();
        assertThat(engine.getProcessEngine().getHistoryService().createHistoricIncidentQuery()
                .processInstanceId(read.getId()).count()).as("incidents").isZero();
        Map<String, Object> variables = new HashMap<>();
        engine.getProcessEngine().getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(read.getId())
                .list().forEach(v -> variables.put(v.getName(), v.getValue()));
        assertThat(variables).containsEntry(OUTCOME, NO_READABLE_SERIES).containsEntry(OUTCOME_MESSAGE, message);
    }

    @Test
    void aStudyOutsideTheModelsDomainEndsAtNothingToReadWithItsOwnOutcome() {
        String message = "study 1.2.3 has no series model m 1 was trained for: series 1.2.3.1: slice thickness 7 mm"
                + " is outside this model's 0.5–5 mm";
        Mocks.register("retrieveStudyStep", (JavaDelegate) execution -> {
            calls.add("retrieve");
            throw new BpmnError(OUTSIDE_MODEL_DOMAIN, message);
        });
        ProcessInstance read = engine.getProcessEngine().getRuntimeService().startProcessInstanceByKey(PROCESS_KEY,
                "1.2.3", withVariables(READ_ID, "00000000-0000-0000-0000-000000000013", STUDY_INSTANCE_UID, "1.2.3"));
        assertThat(read).isWaitingAt("RetrieveStudy");
        execute(job());

        assertThat(read).hasPassedInOrder("RetrieveStudy", "OutsideModelDomain", NOTHING_TO_READ_END)
                .hasNotPassed("Interpret").isEnded();
        assertThat(calls).containsExactly("retrieve", "readEnd");
        Map<String, Object> variables = new HashMap<>();
        engine.getProcessEngine().getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(read.getId())
                .list().forEach(v -> variables.put(v.getName(), v.getValue()));
        assertThat(variables).containsEntry(OUTCOME, OUTSIDE_MODEL_DOMAIN).containsEntry(OUTCOME_MESSAGE, message);
    }

    @Test
    void aFailingStepEndsInAnIncidentWithItsMessage() {
        Mocks.register("retrieveStudyStep", (JavaDelegate) execution -> {
            throw new IllegalStateException("series 1.2.4 of study 1.2.3 returned no instances");
        });
        ProcessInstance read = engine.getProcessEngine().getRuntimeService().startProcessInstanceByKey(PROCESS_KEY,
                "1.2.3", withVariables(READ_ID, "00000000-0000-0000-0000-000000000002", STUDY_INSTANCE_UID, "1.2.3"));
        var management = engine.getProcessEngine().getManagementService();
        for (int attempt = 0; attempt < 3; attempt++) {
            Job pending = management.createJobQuery().processInstanceId(read.getId()).withRetriesLeft().singleResult();
            if (pending == null) {
                break;
            }
            assertThatThrownBy(() -> management.executeJob(pending.getId())).hasMessageContaining("returned no instances");
        }
        Incident incident = engine.getProcessEngine().getRuntimeService().createIncidentQuery()
                .processInstanceId(read.getId()).singleResult();
        assertThat(incident).isNotNull();
        assertThat(incident.getActivityId()).isEqualTo("RetrieveStudy");
        assertThat(incident.getIncidentMessage()).isEqualTo("series 1.2.4 of study 1.2.3 returned no instances");
        assertThat(read).isWaitingAt("RetrieveStudy");
    }
}
