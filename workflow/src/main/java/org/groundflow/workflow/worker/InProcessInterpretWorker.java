package org.groundflow.workflow.worker;

import static org.groundflow.workflow.read.ReadVariables.INTERPRET_TOPIC;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.groundflow.workflow.config.GroundflowProperties;
import org.groundflow.workflow.process.DraftVariables;
import org.groundflow.workflow.process.NodeLocks;
import org.groundflow.workflow.process.StepRetries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Works {@code groundflow-interpret} tasks inside the engine's application, through the engine's Java API: one task
 * at a time (the model uses the cores). A task this node creates wakes the worker at once ({@link InterpretTaskHints});
 * beside that it polls with a growing pause while there is nothing to do, for tasks created elsewhere or handed
 * back for a retry. Each task's wait for the worker is timed ({@value InterpretTopic#PICKUP}). The draft goes to
 * the engine with the completion ({@link DraftVariables}); the series stays in this node's cache for the review UI. A
 * failure hands the task back with one retry less and the configured pause; with none left, the engine shows an
 * incident.
 */
@Component
@ConditionalOnProperty(name = "groundflow.worker.in-process", havingValue = "true", matchIfMissing = true)
public class InProcessInterpretWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InProcessInterpretWorker.class);

    private final ExternalTaskService externalTasks;
    private final InterpretTopic topic;
    private final DraftVariables drafts;
    private final StepRetries retries;
    private final GroundflowProperties.Worker settings;
    private final NodeLocks node;
    private final ObjectProvider<MeterRegistry> meters;
    private final InterpretTaskHints hints;
    private volatile String workerId;
    private volatile Thread thread;
    private volatile boolean running;

    public InProcessInterpretWorker(ExternalTaskService externalTasks, InterpretTopic topic, DraftVariables drafts,
                                    StepRetries stepRetries, GroundflowProperties properties, NodeLocks node,
                                    InterpretTaskHints hints, ObjectProvider<MeterRegistry> meters) {
        this.externalTasks = externalTasks;
        this.topic = topic;
        this.drafts = drafts;
        this.retries = stepRetries;
        this.settings = properties.worker();
        this.node = node;
        this.meters = meters;
        this.hints = hints;
    }

    @Override
    public synchronized void start() {
        // the node's name, so that its next run frees the task this one held should it die working it
        workerId = node.workerId();
        running = true;
        thread = new Thread(this::poll, "groundflow-interpret-worker");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the engine does, starts after it. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }

    private void poll() {
        long idle = 100;
        while (running) {
            try {
                List<LockedExternalTask> locked = externalTasks.fetchAndLock(1, workerId)
                        .topic(INTERPRET_TOPIC, settings.lockDuration().toMillis())
                        .variables(InterpretTopic.INPUTS).execute();
                if (locked.isEmpty()) {
                    if (!hints.awaitTask(Duration.ofMillis(idle))) {
                        idle = Math.min(idle * 2, settings.maxIdleWait().toMillis());
                    }
                    continue;
                }
                idle = 100;
                locked.forEach(this::work);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("interpretation worker could not fetch tasks: {}", e.getMessage());
                sleepQuietly(settings.maxIdleWait().toMillis());
            }
        }
    }

    private void work(LockedExternalTask task) {
        InterpretTopic.recordPickup(meters.getIfAvailable(), task.getCreateTime());
        try {
            externalTasks.complete(task.getId(), workerId, drafts.of(topic.handle(task.getVariables())));
        } catch (RuntimeException e) {
            int left = retries.retriesLeft(task.getRetries(), e);
            log.warn("interpretation task {} failed ({} retries left): {}", task.getId(), left,
                    InterpretTopic.failureMessage(e));
            try {
                externalTasks.handleFailure(task.getId(), workerId, InterpretTopic.failureMessage(e), stackTrace(e),
                        left, retries.pauseAfter(left).toMillis());
            } catch (RuntimeException gone) {
                log.warn("interpretation task {} could not be handed back: {}", task.getId(), gone.getMessage());
            }
        }
    }

    private static String stackTrace(Throwable failure) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
