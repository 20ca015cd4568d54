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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The amend-read and retract-read models' paths, with the steps replaced by recorders (no Spring, no servers). */
@Deployment(resources = "bpmn/read-revision.bpmn")
class ReadRevisionProcessTest {

    private static final String READ = "00000000-0000-0000-0000-000000000007";

    @RegisterExtension
    static ProcessEngineExtension engine = ProcessEngineExtension.builder().build();

    private final List<String> calls = new ArrayList<>();

    @BeforeEach
    void steps() {
        BpmnAwareTests.init(engine.getProcessEngine());
        Mocks.register("publishDicomStep", recorder("publishDicom", Map.of(SEG_SOP_INSTANCE_UID, "2.25.2")));
        Mocks.register("publishFhirStep", recorder("publishFhir", Map.of(DIAGNOSTIC_REPORT_ID, "1")));
        Mocks.register("withdrawDicomStep", recorder("withdrawDicom", Map.of(REJECTION_NOTE_UID, "2.25.3")));
        Mocks.register("withdrawAmendedDicomStep", recorder("withdrawAmendedDicom", Map.of(REJECTION_NOTE_UID, "2.25.4")));
        Mocks.register("retractFhirStep", recorder("retractFhir", Map.of(DIAGNOSTIC_REPORT_ID, "1")));
        Mocks.register("stepRetries", new GroundedReadProcessTest.Retries());
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

    private ProcessInstance start(String key) {
        return engine.getProcessEngine().getRuntimeService().startProcessInstanceByKey(key, "1.2.3",
                withVariables(READ_ID, READ, STUDY_INSTANCE_UID, "1.2.3", REQUESTED_BY, "rad1"));
    }

    @Test
    void anAmendmentKeepingFindingsIsPublishedAsSegThenFhir() {
        ProcessInstance amendment = start(AMEND_PROCESS_KEY);
        assertThat(amendment).isWaitingAt(AMEND_TASK).task().hasCandidateGroup(RADIOLOGISTS);
        complete(task(), withVariables(KEPT_FINDING_COUNT, 1, REVIEWER, "rad1", SIGNED_AT, "2026-01-01T10:00:00Z"));
        execute(job());
        execute(job());
        assertThat(amendment).hasPassedInOrder(AMEND_TASK, "PublishAmendedDicom", "PublishAmendedFhir").isEnded();
        assertThat(calls).containsExactly("publishDicom", "publishFhir");
    }

    @Test
    void anAmendmentRejectingEveryFindingWithdrawsTheEarlierSegAndSrThenPublishesTheReport() {
        ProcessInstance amendment = start(AMEND_PROCESS_KEY);
        assertThat(amendment).isWaitingAt(AMEND_TASK);
        complete(task(), withVariables(KEPT_FINDING_COUNT, 0, REVIEWER, "rad1", SIGNED_AT, "2026-01-01T10:00:00Z"));
        assertThat(amendment).isWaitingAt("WithdrawAmendedDicom");
        execute(job());
        execute(job());
        assertThat(amendment).hasPassedInOrder("WithdrawAmendedDicom", "PublishAmendedFhir")
                .hasNotPassed("PublishAmendedDicom").isEnded();
        assertThat(calls).containsExactly("withdrawAmendedDicom", "publishFhir");
    }

    @Test
    void aRetractionWithdrawsInThePacsThenInTheEhr() {
        ProcessInstance retraction = start(RETRACT_PROCESS_KEY);
        assertThat(retraction).isWaitingAt("WithdrawDicom");
        execute(job());
        execute(job());
        assertThat(retraction).hasPassedInOrder("WithdrawDicom", "RetractFhir").isEnded();
        assertThat(calls).containsExactly("withdrawDicom", "retractFhir");
    }

    @Test
    void aFailingWithdrawalEndsInAnIncidentWithItsMessage() {
        Mocks.register("withdrawDicomStep", (JavaDelegate) execution -> {
            throw new IllegalStateException("study 1.2.3: the PACS refused the rejection note");
        });
        ProcessInstance retraction = start(RETRACT_PROCESS_KEY);
        var management = engine.getProcessEngine().getManagementService();
        for (int attempt = 0; attempt < 3; attempt++) {
            Job pending = management.createJobQuery().processInstanceId(retraction.getId()).withRetriesLeft()
                    .singleResult();
            if (pending == null) {
                break;
            }
            assertThatThrownBy(() -> management.executeJob(pending.getId())).hasMessageContaining("refused");
        }
        Incident incident = engine.getProcessEngine().getRuntimeService().createIncidentQuery()
                .processInstanceId(retraction.getId()).singleResult();
        assertThat(incident).isNotNull();
        assertThat(incident.getActivityId()).isEqualTo("WithdrawDicom");
        assertThat(incident.getIncidentMessage()).isEqualTo("study 1.2.3: the PACS refused the rejection note");
    }
}
