package org.groundflow.workflow.process;

import static org.groundflow.workflow.read.ReadVariables.READ_ID;
import static org.groundflow.workflow.read.ReadVariables.SIGNING_PROCESSES;
import static org.groundflow.workflow.read.ReadVariables.SIGNING_TASKS;
import static org.groundflow.workflow.read.ReadVariables.STUDY_INSTANCE_UID;

import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.bpmn.behavior.UserTaskActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.groundflow.workflow.read.ReadStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * A task in which a radiologist signs a read (review, no-finding confirmation, amendment) completes only together with
 * its sign-off: Groundflow's review ({@code POST /api/reviews/{taskId}}) stores the decisions in the transaction that
 * completes the task, and a completion without them (Camunda's Tasklist, the engine's REST or Java API) is refused
 * before it commits, naming the read and the study. Without this a read completed there would reach its publication
 * steps with nothing to publish and stop in an incident.
 */
@Component
public class SignedTasksOnly extends AbstractProcessEnginePlugin {

    private final ObjectProvider<ReadStore> store;

    public SignedTasksOnly(ObjectProvider<ReadStore> store) {
        this.store = store;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        ParseListeners.after(configuration, new AbstractBpmnParseListener() {
            @Override
            public void parseUserTask(Element element, ScopeImpl scope, ActivityImpl activity) {
                if (activity.getProcessDefinition() instanceof ProcessDefinitionEntity definition
                        && SIGNING_PROCESSES.contains(definition.getKey()) && SIGNING_TASKS.contains(activity.getId())
                        && activity.getActivityBehavior() instanceof UserTaskActivityBehavior userTask) {
                    userTask.getTaskDefinition().addTaskListener(TaskListener.EVENTNAME_COMPLETE, SignedTasksOnly.this::check);
                }
            }
        });
    }

    private void check(DelegateTask task) {
        if (!store.getObject().hasSignOffOfTask(task.getId())) {
            throw new ProcessEngineException("task " + task.getId() + " (" + task.getTaskDefinitionKey() + ") of read "
                    + task.getVariable(READ_ID) + ", study " + task.getVariable(STUDY_INSTANCE_UID) + ", is signed in"
                    + " Groundflow's review (POST /api/reviews/" + task.getId() + "), which keeps the radiologist's"
                    + " decisions; it cannot be completed without them");
        }
    }
}
