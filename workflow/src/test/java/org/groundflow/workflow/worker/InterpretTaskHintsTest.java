package org.groundflow.workflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.groundflow.workflow.read.ReadVariables.INTERPRET_TOPIC;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The in-process worker hears of an interpretation task this node creates once the transaction that created it has
 * committed, and of no other topic's task; a rolled-back creation tells it nothing.
 */
class InterpretTaskHintsTest {

    private final InterpretTaskHints hints = new InterpretTaskHints();
    private ProcessEngine engine;

    @BeforeEach
    void engine() {
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) ProcessEngineConfiguration
                .createStandaloneInMemProcessEngineConfiguration()
                .setProcessEngineName("hints-" + UUID.randomUUID())
                .setJdbcUrl("jdbc:h2:mem:hints-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .setJobExecutorActivate(false);
        configuration.setProcessEnginePlugins(List.<ProcessEnginePlugin>of(hints));
        engine = configuration.buildProcessEngine();
        engine.getRepositoryService().createDeployment()
                .addModelInstance("interpret.bpmn", external("interpret", INTERPRET_TOPIC))
                .addModelInstance("other.bpmn", external("other", "another-topic"))
                .addModelInstance("failing.bpmn", Bpmn.createExecutableProcess("failing").camundaHistoryTimeToLive(1)
                        .startEvent().serviceTask("Interpret").camundaType("external").camundaTopic(INTERPRET_TOPIC)
                        .camundaExecutionListenerExpression("start", "${undefinedBean.fail()}").endEvent().done())
                .deploy();
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void anInterpretationTaskCreatedHereWakesTheWorkerOnce() throws InterruptedException {
        assertThat(hints.awaitTask(Duration.ZERO)).as("nothing created yet").isFalse();

        engine.getRuntimeService().startProcessInstanceByKey("interpret");
        engine.getRuntimeService().startProcessInstanceByKey("interpret");

        assertThat(hints.awaitTask(Duration.ZERO)).as("tasks created and committed").isTrue();
        assertThat(hints.awaitTask(Duration.ZERO)).as("one wake-up for what was created meanwhile").isFalse();
    }

    @Test
    void otherTopicsAndRolledBackCreationsWakeNobody() throws InterruptedException {
        engine.getRuntimeService().startProcessInstanceByKey("other");
        try {
            engine.getRuntimeService().startProcessInstanceByKey("failing");
        } catch (RuntimeException expected) {
            // the listener fails after the hint's start listener: the transaction is rolled back
        }
        assertThat(engine.getExternalTaskService().createExternalTaskQuery().topicName(INTERPRET_TOPIC).count())
                .as("the failing start left no task").isZero();
        assertThat(hints.awaitTask(Duration.ZERO)).isFalse();
    }

    private static BpmnModelInstance external(String key, String topic) {
        return Bpmn.createExecutableProcess(key).camundaHistoryTimeToLive(1).startEvent()
                .serviceTask("Interpret").camundaType("external").camundaTopic(topic).endEvent().done();
    }
}
