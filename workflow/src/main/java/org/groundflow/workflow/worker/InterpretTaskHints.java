package org.groundflow.workflow.worker;

import static org.groundflow.workflow.read.ReadVariables.INTERPRET_TOPIC;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParse;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.groundflow.workflow.process.ParseListeners;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Tells the in-process interpretation worker that this node created a {@code groundflow-interpret} task, once the
 * transaction that created it has committed, so the task waits for no poll: the engine's Java API has no long
 * polling, and a worker that only polled would leave each task waiting up to its longest pause
 * ({@code groundflow.worker.max-idle-wait}). Tasks created elsewhere (another node, a retry after a failure) are still
 * found by the worker's polling.
 */
@Component
@ConditionalOnProperty(name = "groundflow.worker.in-process", havingValue = "true", matchIfMissing = true)
public class InterpretTaskHints extends AbstractProcessEnginePlugin {

    private final Semaphore created = new Semaphore(0);

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        ParseListeners.after(configuration, new AbstractBpmnParseListener() {
            @Override
            public void parseServiceTask(Element element, ScopeImpl scope, ActivityImpl activity) {
                if (INTERPRET_TOPIC.equals(element.attributeNS(BpmnParse.CAMUNDA_BPMN_EXTENSIONS_NS, "topic"))) {
                    activity.addListener(ExecutionListener.EVENTNAME_START, (ExecutionListener) execution ->
                            Context.getCommandContext().getTransactionContext().addTransactionListener(
                                    TransactionState.COMMITTED, committed -> created.release()));
                }
            }
        });
    }

    /**
     * Waits until this node creates an interpretation task or {@code atMost} has passed.
     *
     * @return whether a task was created meanwhile
     */
    boolean awaitTask(Duration atMost) throws InterruptedException {
        boolean hinted = created.tryAcquire(atMost.toMillis(), TimeUnit.MILLISECONDS);
        created.drainPermits();
        return hinted;
    }
}
