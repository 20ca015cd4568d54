package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.camunda.bpm.engine.RuntimeService;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.workflow.app.GroundflowApplication;
import org.groundflow.workflow.read.ReadVariables;
import org.groundflow.workflow.security.IdentitySetup;
import org.groundflow.workflow.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.DefaultResponseErrorHandler;
import org.springframework.web.client.RestTemplate;

/**
 * Two Groundflow nodes ({@code cluster} profile, two application contexts in this JVM, engines {@code nodeA} and
 * {@code nodeB}) on one throwaway PostgreSQL database, each with its own work folder and nothing shared but the
 * database, the PACS and the EHR. A read started on one node is reviewed through the other and published, its state
 * in every Groundflow table on PostgreSQL; the same study started on both nodes at the same moment starts once: one
 * 201, one 409, every time.
 */
class TwoNodesTest {

    static final int STUDIES = 10;
    private static final String RADIOLOGIST = "clusterrad";
    private static final String PASSWORD = "cluster-password";
    private static final Logger log = LoggerFactory.getLogger(TwoNodesTest.class);

    @TempDir
    static Path work;

    private static PostgresServer postgres;
    private static ConfigurableApplicationContext nodeA;
    private static ConfigurableApplicationContext nodeB;
    private static RestTemplate a;
    private static RestTemplate b;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void twoNodes() {
        Assumptions.assumeTrue(PostgresServer.isAvailable(), "PostgreSQL is not installed");
        postgres = new PostgresServer().start();
        String database = postgres.createDatabase("cluster");
        nodeA = node("nodeA", database);
        nodeB = node("nodeB", database); // after the first: it finds the schema made
        nodeA.getBean(IdentitySetup.class).ensureUser(RADIOLOGIST, PASSWORD, List.of(ReadVariables.RADIOLOGISTS));
        a = client(nodeA);
        b = client(nodeB);
        jdbc = nodeA.getBean(JdbcTemplate.class);
    }

    private static ConfigurableApplicationContext node(String name, String database) {
        Path workDir = work.resolve(name);
        return new SpringApplicationBuilder(GroundflowApplication.class).profiles("cluster")
                .run("--server.port=0", "--spring.datasource.url=" + database,
                        "--spring.datasource.username=" + PostgresServer.USER, "--spring.datasource.password=",
                        "--camunda.bpm.process-engine-name=" + name, "--groundflow.work-dir=" + workDir,
                        "--groundflow.pacs.url=" + TestServers.pacsUrl(), "--groundflow.fhir.base-url=" + TestServers.fhirBaseUrl(),
                        "--groundflow.retries=R1/PT1S", "--camunda.bpm.job-execution.wait-time-in-millis=200",
                        "--camunda.bpm.job-execution.max-wait=1000");
    }

    private static RestTemplate client(ConfigurableApplicationContext node) {
        int port = ((WebServerApplicationContext) node).getWebServer().getPort();
        RestTemplate rest = new RestTemplateBuilder().rootUri("http://127.0.0.1:" + port)
                .basicAuthentication(RADIOLOGIST, PASSWORD).build();
        rest.setErrorHandler(new DefaultResponseErrorHandler() {
            @Override
            public boolean hasError(org.springframework.http.client.ClientHttpResponse response) {
                return false;
            }
        });
        return rest;
    }

    @AfterAll
    static void stop() {
        for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[] {nodeB, nodeA}) {
            if (node != null) {
                node.close();
            }
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static SyntheticStudy stored(String variant, int slices, boolean lesions) throws Exception {
        SyntheticStudy.Builder builder = SyntheticStudy.builder().variant(variant).slices(slices);
        SyntheticStudy study = (lesions ? builder.lesions(SyntheticStudy.DEMO_LESIONS) : builder.withoutLesions()).build();
        try (DicomWebClient orthanc = new DicomWebClient(TestServers.orthanc().endpoint())) {
            orthanc.store(study.writeTo(Files.createTempDirectory(work, variant))).requireAllStored();
        }
        return study;
    }

    private static ResponseEntity<JsonNode> start(RestTemplate node, SyntheticStudy study) {
        return node.postForEntity("/api/reads", Map.of("studyInstanceUid", study.studyInstanceUid().value()),
                JsonNode.class);
    }

    @Test
    void aReadStartedOnOneNodeIsReviewedAndPublishedThroughTheOtherOnPostgres() throws Exception {
        SyntheticStudy study = stored("two-nodes-" + UUID.randomUUID(), 24, true);
        ResponseEntity<JsonNode> started = start(b, study);
        assertThat(started.getStatusCode()).as("%s", started.getBody()).isEqualTo(HttpStatus.CREATED);
        String readId = started.getBody().path("readId").asText();

        JsonNode onA = awaitState(a, readId, "AWAITING_REVIEW");
        JsonNode onB = b.getForObject("/api/reads/" + readId, JsonNode.class);
        assertThat(onA.path("findings")).isNotEmpty();
        assertThat(onB.path("findings")).isEqualTo(onA.path("findings"));
        for (String table : new String[] {"GF_READ", "GF_ACTIVE_STUDY", "GF_DRAFT"}) {
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + table + " WHERE READ_ID = ?", Integer.class, readId))
                    .as(table).isEqualTo(1);
        }

        JsonNode task = StreamSupport.stream(a.getForObject("/api/reviews", JsonNode.class).spliterator(), false)
                .filter(t -> readId.equals(t.path("readId").asText())).findFirst().orElseThrow();
        List<Map<String, Object>> decisions = new ArrayList<>();
        onA.path("findings").forEach(f -> decisions.add(Map.of("finding", f.path("number").asInt(), "decision", "accept")));
        ResponseEntity<JsonNode> signed = a.postForEntity("/api/reviews/" + task.path("taskId").asText(),
                Map.of("decisions", decisions, "impression", "Signed on node A."), JsonNode.class);
        assertThat(signed.getStatusCode()).as("%s", signed.getBody()).isEqualTo(HttpStatus.OK);

        JsonNode done = awaitState(b, readId, "COMPLETED");
        assertThat(done.path("segSopInstanceUid").asText()).isNotBlank();
        assertThat(done.path("diagnosticReportId").asText()).isNotBlank();
        for (String table : new String[] {"GF_SIGNOFF", "GF_REVISION"}) {
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + table + " WHERE READ_ID = ?", Integer.class, readId))
                    .as(table).isEqualTo(1);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM GF_SIGNOFF_AUDIT WHERE READ_ID = ?", Integer.class, readId))
                .as("audit rows: the findings and the impression").isEqualTo(decisions.size() + 1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM GF_ACTIVE_STUDY WHERE READ_ID = ?", Integer.class, readId))
                .as("the study is free again").isZero();
        assertThat(jdbc.queryForObject("SELECT OUTCOME FROM GF_READ WHERE READ_ID = ?", String.class, readId))
                .isEqualTo("COMPLETED");
        assertThat(jdbc.queryForList("SELECT script FROM gf_schema_history WHERE success AND script LIKE 'V%'",
                String.class)).as("Groundflow's migrations on PostgreSQL")
                .containsExactlyInAnyOrder("V1__study_intake.sql", "V2__signoff_audit.sql", "V3__revision.sql",
                        "V4__read_state.sql", "V9__signoff_audit_chain.sql", "V10__signoff_audit_revisions.sql",
                        "V11__read_revisions.sql", "V12__ai_monitoring.sql");
    }

    private static JsonNode awaitState(RestTemplate node, String readId, String state) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            last[0] = node.getForObject("/api/reads/" + readId, JsonNode.class);
            assertThat(last[0].path("incidents")).as("incidents: %s", last[0]).isEmpty();
            assertThat(last[0].path("state").asText()).isEqualTo(state);
        });
        return last[0];
    }

    @Test
    void ofTwoStartsOfAStudyAtTheSameMomentOnTwoNodesOneStarts() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<String> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < STUDIES; i++) {
                SyntheticStudy study = stored("two-starts-" + i + "-" + UUID.randomUUID(), 4, false);
                CountDownLatch together = new CountDownLatch(1);
                Future<ResponseEntity<JsonNode>> onA = threads.submit(() -> {
                    together.await();
                    return start(a, study);
                });
                Future<ResponseEntity<JsonNode>> onB = threads.submit(() -> {
                    together.await();
                    return start(b, study);
                });
                together.countDown();
                ResponseEntity<JsonNode> answerA = onA.get(60, TimeUnit.SECONDS);
                ResponseEntity<JsonNode> answerB = onB.get(60, TimeUnit.SECONDS);

                assertThat(List.of(answerA.getStatusCode().value(), answerB.getStatusCode().value()))
                        .as("study %s: %s / %s", i, answerA.getBody(), answerB.getBody())
                        .containsExactlyInAnyOrder(201, 409);
                ResponseEntity<JsonNode> winner = answerA.getStatusCode().value() == 201 ? answerA : answerB;
                ResponseEntity<JsonNode> loser = winner == answerA ? answerB : answerA;
                String readId = winner.getBody().path("readId").asText();
                assertThat(loser.getBody().path("message").asText()).contains(readId);
                String uid = study.studyInstanceUid().value();
                assertThat(jdbc.queryForObject("SELECT READ_ID FROM GF_ACTIVE_STUDY WHERE STUDY_UID = ?", String.class,
                        uid)).isEqualTo(readId);
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM GF_READ WHERE STUDY_UID = ?", Integer.class, uid))
                        .isEqualTo(1);
                assertThat(nodeB.getBean(RuntimeService.class).createProcessInstanceQuery()
                        .processInstanceBusinessKey(uid).count()).as("process instances of study %s", i).isEqualTo(1);
                outcomes.add(winner == answerA ? "A" : "B");
            }
        } finally {
            threads.shutdownNow();
        }
        log.info("{} studies started on two nodes at once: the read started on {}", STUDIES, outcomes);
    }
}
