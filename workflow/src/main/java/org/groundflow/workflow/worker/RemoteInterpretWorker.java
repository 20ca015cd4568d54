package org.groundflow.workflow.worker;

import static org.groundflow.workflow.read.ReadVariables.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.camunda.bpm.client.ExternalTaskClient;
import org.camunda.bpm.client.interceptor.auth.BasicAuthProvider;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.groundflow.workflow.config.GroundflowProperties;
import org.groundflow.workflow.config.ServiceAccess;
import org.groundflow.workflow.process.StepRetries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Works {@code groundflow-interpret} tasks in a separate worker process, over the engine's REST API with a worker
 * service account (group workers); without one only when {@code groundflow.worker.insecure=true} and the engine's URL
 * is loopback, else the worker does not start. The handling is the same {@link InterpretTopic} as in-process; the
 * worker needs the same read store (a shared folder) as the engine's application.
 */
public class RemoteInterpretWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RemoteInterpretWorker.class);

    private final InterpretTopic topic;
    private final GroundflowProperties.Worker settings;
    private final StepRetries retries;
    private ExternalTaskClient client;

    public RemoteInterpretWorker(InterpretTopic topic, GroundflowProperties properties) {
        this.topic = topic;
        this.settings = properties.worker();
        this.retries = new StepRetries(properties);
        if (settings.engineRestUrl() == null || settings.engineRestUrl().isBlank()) {
            throw new IllegalStateException("a worker needs groundflow.worker.engine-rest-url (the engine's REST API)");
        }
        new ServiceAccess("groundflow.worker.engine-rest-url", settings.engineRestUrl(),
                "groundflow.worker.username/password", settings.credentials(), "groundflow.worker.insecure",
                settings.insecure()).check();
    }

    @Override
    public synchronized void start() {
        var builder = ExternalTaskClient.create().baseUrl(settings.engineRestUrl())
                .workerId("groundflow-worker-" + ProcessHandle.current().pid())
                .maxTasks(1)
                .asyncResponseTimeout(settings.maxIdleWait().toMillis())
                .disableBackoffStrategy();
        if (settings.credentials()) {
            builder.addInterceptor(new BasicAuthProvider(settings.username(), settings.password()));
        }
        client = builder.build();
        client.subscribe(INTERPRET_TOPIC).lockDuration(settings.lockDuration().toMillis())
                .variables(READ_ID, STUDY_INSTANCE_UID).handler(this::work).open();
        log.info("worker polling {} for topic {}", settings.engineRestUrl(), INTERPRET_TOPIC);
    }

    private void work(ExternalTask task, ExternalTaskService service) {
        try {
            service.complete(task, topic.handle(task.getAllVariables()));
        } catch (RuntimeException e) {
            int left = retries.retriesLeft(task.getRetries(), e);
            log.warn("interpretation task {} failed ({} retries left): {}", task.getId(), left,
                    InterpretTopic.failureMessage(e));
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            service.handleFailure(task, InterpretTopic.failureMessage(e), trace.toString(), left,
                    retries.interval().toMillis());
        }
    }

    @Override
    public synchronized void stop() {
        if (client != null) {
            client.stop();
            client = null;
        }
    }

    @Override
    public boolean isRunning() {
        return client != null && client.isActive();
    }
}
