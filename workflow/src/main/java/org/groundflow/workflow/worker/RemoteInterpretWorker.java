package org.groundflow.workflow.worker;

import static org.groundflow.workflow.read.ReadVariables.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.camunda.bpm.client.ExternalTaskClient;
import org.camunda.bpm.client.interceptor.auth.BasicAuthProvider;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.groundflow.workflow.config.GroundflowProperties;
import org.groundflow.workflow.config.ServiceAccess;
import org.groundflow.workflow.process.DraftVariables;
import org.groundflow.workflow.process.StepRetries;
import org.groundflow.workflow.read.Draft;
import org.groundflow.workflow.read.SeriesCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Works {@code groundflow-interpret} tasks in a separate worker process, over the engine's REST API with a worker
 * service account (group workers); without one only when {@code groundflow.worker.insecure=true} and the engine's URL
 * is loopback, else the worker does not start. The handling is the same {@link InterpretTopic} as in-process. The
 * worker shares nothing with the engine but its REST API and the PACS: it retrieves the series into its own work
 * folder (WADO-RS), hands the draft back with the completion ({@code POST /external-task/{id}/complete}, the draft as
 * transient variables that the engine keeps in its read store) and then deletes what it retrieved.
 */
public class RemoteInterpretWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RemoteInterpretWorker.class);

    private final InterpretTopic topic;
    private final DraftVariables drafts;
    private final SeriesCache cache;
    private final ObjectMapper json;
    private final GroundflowProperties.Worker settings;
    private final StepRetries retries;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private ExternalTaskClient client;

    public RemoteInterpretWorker(InterpretTopic topic, DraftVariables drafts, SeriesCache cache, ObjectMapper json,
                                 GroundflowProperties properties) {
        this.topic = topic;
        this.drafts = drafts;
        this.cache = cache;
        this.json = json;
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
                .variables(InterpretTopic.INPUTS).handler(this::work).open();
        log.info("worker polling {} for topic {}", settings.engineRestUrl(), INTERPRET_TOPIC);
    }

    private void work(ExternalTask task, ExternalTaskService service) {
        try {
            complete(task, topic.handle(task.getAllVariables()));
        } catch (RuntimeException e) {
            int left = retries.retriesLeft(task.getRetries(), e);
            log.warn("interpretation task {} failed ({} retries left): {}", task.getId(), left,
                    InterpretTopic.failureMessage(e));
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            service.handleFailure(task, InterpretTopic.failureMessage(e), trace.toString(), left,
                    retries.pauseAfter(left).toMillis());
        } finally {
            if (task.getVariable(READ_ID) instanceof String readId) {
                cache.evict(readId);
            }
        }
    }

    /** Completes the task with the draft as transient variables, which the external task client cannot send. */
    private void complete(ExternalTask task, Draft draft) {
        String body;
        try {
            body = json.writeValueAsString(Map.of("workerId", task.getWorkerId(), "variables", drafts.ofRest(draft)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the completion of task " + task.getId(), e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.engineRestUrl() + "/external-task/"
                        + task.getId() + "/complete"))
                .timeout(Duration.ofMinutes(1)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (settings.username() != null && !settings.username().isBlank()) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (settings.username() + ":" + settings.password()).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("the engine at " + settings.engineRestUrl() + " could not be reached to "
                    + "complete interpretation task " + task.getId() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while completing interpretation task " + task.getId(), e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("the engine answered " + response.statusCode() + " to the completion of "
                    + "interpretation task " + task.getId() + ": " + response.body());
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
