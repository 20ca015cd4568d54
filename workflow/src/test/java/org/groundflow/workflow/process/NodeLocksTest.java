package org.groundflow.workflow.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.externaltask.ExternalTask;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.groundflow.workflow.config.GroundflowProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A node that starts again frees the jobs and interpretation tasks its previous run held (that run died: they cannot
 * be running) and nothing that another node holds; its job executor then locks under the node's name.
 */
class NodeLocksTest {

    @RegisterExtension
    static ProcessEngineExtension engine = ProcessEngineExtension.builder().build();

    private static final String PROCESS = "node-locks-test";

    private ProcessEngine processEngine;
    private JdbcTemplate jdbc;
    private String deployment;

    @BeforeEach
    void deploy() {
        processEngine = engine.getProcessEngine();
        jdbc = new JdbcTemplate(configuration().getDataSource());
        BpmnModelInstance model = Bpmn.createExecutableProcess(PROCESS).camundaHistoryTimeToLive(1)
                .startEvent().parallelGateway("fork")
                .serviceTask("step").camundaAsyncBefore().camundaExpression("${true}").endEvent()
                .moveToNode("fork").serviceTask("interpret").camundaType("external").camundaTopic("node-locks-topic")
                .endEvent().done();
        deployment = processEngine.getRepositoryService().createDeployment()
                .addModelInstance(PROCESS + ".bpmn", model).deploy().getId();
    }

    @AfterEach
    void undeploy() {
        processEngine.getRepositoryService().deleteDeployment(deployment, true);
    }

    @Test
    void aRestartedNodeFreesWhatItsPreviousRunHeldAndNothingElse() {
        Job own = jobOfNewInstance();
        Job other = jobOfNewInstance();
        lock(own, "node-a");
        lock(other, "node-b");
        processEngine.getRuntimeService().startProcessInstanceByKey(PROCESS);
        var locked = processEngine.getExternalTaskService().fetchAndLock(2, "groundflow-in-process-node-a")
                .topic("node-locks-topic", 600_000).execute();
        processEngine.getExternalTaskService().fetchAndLock(1, "groundflow-worker-7")
                .topic("node-locks-topic", 600_000).execute();
        assertThat(locked).hasSize(2);

        NodeLocks node = new NodeLocks(processEngine, new GenericApplicationContext(), properties("node-a"));
        node.start();

        assertThat(owner(own)).as("the job node-a held").isNull();
        assertThat(owner(other)).as("the job node-b holds").isEqualTo("node-b");
        List<ExternalTask> stillLocked = processEngine.getExternalTaskService().createExternalTaskQuery()
                .topicName("node-locks-topic").locked().list();
        assertThat(stillLocked).extracting(ExternalTask::getWorkerId).containsExactly("groundflow-worker-7");
        assertThat(node.workerId()).isEqualTo("groundflow-in-process-node-a");
    }

    @Test
    void withoutAConfiguredNameOrWebServerTheNameIsThisContextsOnly() {
        NodeLocks node = new NodeLocks(processEngine, new GenericApplicationContext(), properties(" "));
        NodeLocks other = new NodeLocks(processEngine, new GenericApplicationContext(), properties(null));
        assertThat(node.nodeId()).contains(":pid" + ProcessHandle.current().pid() + "-")
                .isNotEqualTo(other.nodeId()).isEqualTo(node.nodeId());
    }

    private Job jobOfNewInstance() {
        String instance = processEngine.getRuntimeService().startProcessInstanceByKey(PROCESS).getId();
        return processEngine.getManagementService().createJobQuery().processInstanceId(instance).singleResult();
    }

    private void lock(Job job, String owner) {
        jdbc.update("UPDATE ACT_RU_JOB SET LOCK_OWNER_ = ?, LOCK_EXP_TIME_ = DATEADD('MINUTE', 5, CURRENT_TIMESTAMP)"
                + " WHERE ID_ = ?", owner, job.getId());
    }

    private String owner(Job job) {
        return jdbc.queryForObject("SELECT LOCK_OWNER_ FROM ACT_RU_JOB WHERE ID_ = ?", String.class, job.getId());
    }

    private ProcessEngineConfigurationImpl configuration() {
        return (ProcessEngineConfigurationImpl) processEngine.getProcessEngineConfiguration();
    }

    private static GroundflowProperties properties(String nodeId) {
        return new GroundflowProperties(Path.of("."), null, null, null, "R3/PT30S", "test", null, null, null, null,
                nodeId, null);
    }
}
