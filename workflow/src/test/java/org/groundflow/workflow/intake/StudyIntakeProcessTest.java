package org.groundflow.workflow.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.groundflow.workflow.intake.IntakeVariables.*;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The study-intake model: its timer, its inputs from the configuration, and the switch that turns it off. */
class StudyIntakeProcessTest {

    @RegisterExtension
    static ProcessEngineExtension engine = ProcessEngineExtension.builder().build();

    private final Map<String, Object> seen = new HashMap<>();
    private String deployment;

    public static class Retries {
        public String getCycle() {
            return "R2/PT1S";
        }
    }

    private static IntakeSchedule schedule(boolean enabled) {
        return new IntakeSchedule(new IntakeProperties(enabled, "R/PT5M", "CT", "CHEST", "", Duration.ofMinutes(3), ""));
    }

    @BeforeEach
    void deploy() {
        BpmnAwareTests.init(engine.getProcessEngine());
        Mocks.register("intakeSchedule", schedule(true));
        Mocks.register("stepRetries", new Retries());
        Mocks.register("qidoIntakeStep", (org.camunda.bpm.engine.delegate.JavaDelegate) execution -> {
            for (String name : new String[] {MODALITY, BODY_PART, STATION, STABLE_FOR, LOOK_BACK}) {
                seen.put(name, execution.getVariable(name));
            }
            execution.setVariable(STARTED_READ_COUNT, 1);
        });
        deployment = repository().createDeployment().addClasspathResource("bpmn/study-intake.bpmn").deploy().getId();
    }

    @AfterEach
    void undeploy() {
        repository().deleteDeployment(deployment, true);
        Mocks.reset();
        BpmnAwareTests.reset();
    }

    private RepositoryService repository() {
        return engine.getProcessEngine().getRepositoryService();
    }

    private ManagementService management() {
        return engine.getProcessEngine().getManagementService();
    }

    private Job timer() {
        return management().createJobQuery().processDefinitionKey(PROCESS_KEY).timers().singleResult();
    }

    @Test
    void theTimerStartsAPassWithTheConfiguredFilter() {
        Job timer = timer();
        assertThat(timer).isNotNull();
        assertThat(timer.getDuedate()).isInTheFuture();

        execute(timer);
        ProcessInstance pass = engine.getProcessEngine().getRuntimeService().createProcessInstanceQuery()
                .processDefinitionKey(PROCESS_KEY).singleResult();
        assertThat(pass).isWaitingAt(FIND_TASK);
        execute(job(FIND_TASK, pass));

        assertThat(pass).isEnded();
        assertThat(engine.getProcessEngine().getHistoryService().createHistoricVariableInstanceQuery()
                .processInstanceId(pass.getId()).variableName(STARTED_READ_COUNT).singleResult().getValue()).isEqualTo(1);
        assertThat(seen).containsExactlyInAnyOrderEntriesOf(Map.of(MODALITY, "CT", BODY_PART, "CHEST", STATION, "",
                STABLE_FOR, "PT3M", LOOK_BACK, ""));
        assertThat(timer()).as("the next cycle's timer").isNotNull();
    }

    @Test
    void disabledTheTimerIsSuspendedAndEnabledActiveAgain() {
        new IntakeActivation(repository(), schedule(false)).apply();
        assertThat(repository().createProcessDefinitionQuery().processDefinitionKey(PROCESS_KEY).singleResult().isSuspended())
                .isTrue();
        assertThat(timer().isSuspended()).isTrue();

        new IntakeActivation(repository(), schedule(false)).apply();
        assertThat(timer().isSuspended()).as("suspending twice is harmless").isTrue();

        new IntakeActivation(repository(), schedule(true)).apply();
        assertThat(repository().createProcessDefinitionQuery().processDefinitionKey(PROCESS_KEY).singleResult().isSuspended())
                .isFalse();
        assertThat(timer().isSuspended()).isFalse();
    }
}
