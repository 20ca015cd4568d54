package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.camunda.bpm.engine.RuntimeService;
import org.groundflow.workflow.read.ReadStore;
import org.groundflow.workflow.read.ReadVariables;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.workflow.app.GroundflowApplication;
import org.groundflow.workflow.security.IdentitySetup;
import org.groundflow.workflow.security.Roles;
import org.groundflow.workflow.worker.RemoteInterpretWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The engine leaves interpretation to separate workers; a worker process (the same jar, {@code worker} profile)
 * fetches the task over the engine's REST API with a worker service account and completes it. The worker shares no
 * folder with the engine: it has its own empty work folder, retrieves the series from the PACS itself, hands the draft
 * back with the completion, and keeps nothing; the draft is in the engine's read store, not in its variables.
 */
@SpringBootTest(classes = GroundflowApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.datasource.url=jdbc:h2:mem:groundflow-remote;DB_CLOSE_DELAY=-1;MODE=LEGACY",
                "camunda.bpm.process-engine-name=remote",
                "groundflow.worker.in-process=false",
                "groundflow.retries=R1/PT1S"
        })
class RemoteWorkerTest {

    private static final String WORKER = "worker1";
    private static final String PASSWORD = "worker-password";

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("groundflow.pacs.url", TestServers::pacsUrl);
        registry.add("groundflow.fhir.base-url", TestServers::fhirBaseUrl);
        registry.add("groundflow.work-dir", () -> TestServers.workDir().toString());
    }

    @LocalServerPort
    int port;
    @Autowired
    TestRestTemplate http;
    @Autowired
    IdentitySetup identity;
    @Autowired
    DicomWebClient pacs;
    @Autowired
    ReadStore store;
    @Autowired
    RuntimeService runtime;

    @Test
    void aWorkerProcessInterpretsOverTheEnginesRestApi(@TempDir Path dir, @TempDir Path workerDir) throws Exception {
        identity.ensureUser(WORKER, PASSWORD, List.of(Roles.WORKER_GROUP));
        identity.ensureUser("radremote", PASSWORD, List.of("radiologists"));
        SyntheticStudy study = SyntheticStudy.builder().variant("remote-worker").slices(24).build();
        pacs.store(study.writeTo(dir)).requireAllStored();
        TestRestTemplate radiologist = http.withBasicAuth("radremote", PASSWORD);
        ResponseEntity<JsonNode> started = radiologist.postForEntity("/api/reads",
                Map.of("studyInstanceUid", study.studyInstanceUid().value()), JsonNode.class);
        assertThat(started.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        String readId = started.getBody().path("readId").asText();

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(radiologist.getForObject("/api/reads/" + readId, JsonNode.class).path("currentSteps").toString())
                        .as("nobody works the interpretation without a worker").contains("Interpret"));

        assertThat(http.withBasicAuth("radremote", PASSWORD)
                .postForEntity("/engine-rest/engine/remote/external-task/fetchAndLock",
                        Map.of("workerId", "intruder", "maxTasks", 1, "topics", List.of()), String.class).getStatusCode())
                .as("radiologists cannot fetch external tasks").isEqualTo(HttpStatus.FORBIDDEN);

        PacsRequests requests = TestServers.pacsRequests();
        int beforeWorker = requests.mark();
        try (ConfigurableApplicationContext worker = new SpringApplicationBuilder(GroundflowApplication.class)
                .profiles("worker")
                .run("--groundflow.worker.engine-rest-url=http://127.0.0.1:" + port + "/engine-rest/engine/remote",
                        "--groundflow.worker.username=" + WORKER, "--groundflow.worker.password=" + PASSWORD,
                        "--groundflow.pacs.url=" + TestServers.pacsUrl(), "--groundflow.work-dir=" + workerDir,
                        "--groundflow.retries=R1/PT1S", "--groundflow.worker.max-idle-wait=PT1S")) {
            assertThat(worker.getBeansOfType(RemoteInterpretWorker.class)).hasSize(1);
            assertThat(worker.getBeansOfType(DataSource.class)).as("a worker has no database").isEmpty();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                JsonNode read = radiologist.getForObject("/api/reads/" + readId, JsonNode.class);
                assertThat(read.path("incidents")).as("incidents: %s", read).isEmpty();
                assertThat(read.path("state").asText()).isEqualTo("AWAITING_REVIEW");
                assertThat(read.path("findings").size()).isPositive();
            });
        }

        assertThat(requests.since(beforeWorker)).as("the worker retrieved the series itself")
                .filteredOn(r -> r.kind() == PacsRequests.Kind.WADO_SERIES).hasSize(1);
        try (Stream<Path> left = Files.walk(workerDir)) {
            assertThat(left.filter(Files::isRegularFile).toList()).as("files the worker kept").isEmpty();
        }
        assertThat(store.interpretation(readId)).as("the draft in the engine's read store").isPresent();
        assertThat(store.masks(readId).orElseThrow().masks()).isNotEmpty();
        assertThat(store.volume(readId).orElseThrow().studyInstanceUid()).isEqualTo(study.studyInstanceUid());
        String processInstance = started.getBody().path("processInstanceId").asText();
        assertThat(runtime.getVariables(processInstance)).as("the process's variables")
                .doesNotContainKeys(ReadVariables.DRAFT_INTERPRETATION, ReadVariables.DRAFT_MASKS,
                        ReadVariables.DRAFT_VOLUME).containsKey(ReadVariables.FINDING_COUNT);
    }
}
