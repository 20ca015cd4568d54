package org.groundflow.workflow.operations;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.camunda.bpm.engine.variable.Variables;
import org.groundflow.workflow.process.ParseListeners;
import org.groundflow.workflow.read.ReadVariables;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Prometheus metrics of the grounded-read process, with no code in the step handlers: every service, external and
 * user task of {@code grounded-read} is timed from its start to its end ({@code groundflow.step.duration}, tag
 * {@code step}); {@code groundflow.reads.active} counts the reads at each step and {@code groundflow.incidents.open}
 * the open incidents.
 */
@Component
public class StepMetrics extends AbstractProcessEnginePlugin {

    static final String STARTED = "groundflowStepStarted";
    static final String STEP_DURATION = "groundflow.step.duration";

    private final ObjectProvider<MeterRegistry> registry;
    private final ObjectProvider<ProcessEngine> engine;
    private final List<String> steps = new ArrayList<>();

    public StepMetrics(ObjectProvider<MeterRegistry> registry, ObjectProvider<ProcessEngine> engine) {
        this.registry = registry;
        this.engine = engine;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        ParseListeners.before(configuration, new AbstractBpmnParseListener() {
            @Override
            public void parseServiceTask(Element element, ScopeImpl scope, ActivityImpl activity) {
                timed(activity);
            }

            @Override
            public void parseUserTask(Element element, ScopeImpl scope, ActivityImpl activity) {
                timed(activity);
            }
        });
    }

    private void timed(ActivityImpl activity) {
        if (!(activity.getProcessDefinition() instanceof ProcessDefinitionEntity definition)
                || !ReadVariables.PROCESS_KEY.equals(definition.getKey())) {
            return;
        }
        String step = activity.getId();
        synchronized (steps) {
            if (!steps.contains(step)) {
                steps.add(step);
                MeterRegistry meters = registry.getIfAvailable();
                if (meters != null) {
                    Gauge.builder("groundflow.reads.active", () -> activeAt(step)).tag("step", step)
                            .description("reads whose grounded-read process is at this step").register(meters);
                }
            }
        }
        activity.addListener(ExecutionListener.EVENTNAME_START, (ExecutionListener) execution ->
                execution.setVariableLocal(STARTED, Variables.longValue(System.currentTimeMillis(), true)));
        activity.addListener(ExecutionListener.EVENTNAME_END, (ExecutionListener) execution -> record(step, execution));
    }

    /**
     * A step that starts and ends in one transaction keeps its start in a transient variable; a step that waited (a
     * user or external task) finds its start in the history, since no transient value outlives a transaction.
     */
    private void record(String step, DelegateExecution execution) {
        MeterRegistry meters = registry.getIfAvailable();
        if (meters == null) {
            return;
        }
        Long started = execution.getVariableLocal(STARTED) instanceof Long millis ? millis : null;
        if (started == null && execution.getActivityInstanceId() != null) {
            HistoricActivityInstance instance = execution.getProcessEngineServices().getHistoryService()
                    .createHistoricActivityInstanceQuery().activityInstanceId(execution.getActivityInstanceId()).singleResult();
            started = instance == null || instance.getStartTime() == null ? null : instance.getStartTime().getTime();
        }
        if (started != null) {
            Timer.builder(STEP_DURATION).tag("step", step).description("time from a step's start to its end")
                    .register(meters).record(Math.max(0, System.currentTimeMillis() - started), TimeUnit.MILLISECONDS);
        }
    }

    private double activeAt(String step) {
        ProcessEngine processEngine = engine.getIfAvailable();
        return processEngine == null ? 0 : processEngine.getRuntimeService().createExecutionQuery()
                .processDefinitionKey(ReadVariables.PROCESS_KEY).activityId(step).count();
    }

    /** Registered once the engine exists. */
    public void registerIncidentGauge(MeterRegistry meters) {
        Gauge.builder("groundflow.incidents.open", () -> {
            ProcessEngine processEngine = engine.getIfAvailable();
            return processEngine == null ? 0 : processEngine.getRuntimeService().createIncidentQuery().count();
        }).description("open incidents of all processes").register(meters);
    }
}
