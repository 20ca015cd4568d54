package org.groundflow.workflow;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.testing.OrthancServer;
import org.groundflow.workflow.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two engine JVMs ({@code cluster} profile, in-process worker off) on one throwaway PostgreSQL and one remote
 * interpretation worker JVM ({@code worker} profile) with its own work folder, all separate processes sharing only the
 * database, the PACS and the EHR. Studies started through both nodes in turn are each read once, interpreted by the
 * worker, signed through the API (through the other node) and published; the job log shows that the job executors of
 * both nodes ran steps. {@code -Dgroundflow.cluster.studies=N} sets the number of studies (10 here, 50 in
 * {@code deploy/bench.sh cluster}).
 */
class TwoEngineJvmsTest {

    private static final Logger log = LoggerFactory.getLogger(TwoEngineJvmsTest.class);
    private static final String PASSWORD = "cluster-" + UUID.randomUUID();
    private static final String WORKER_PASSWORD = "worker-" + UUID.randomUUID();

    @TempDir
    static Path work;

    private static PostgresServer postgres;
    private static String database;
    private static OrthancServer orthanc;
    private static final List<EngineJvm> jvms = new ArrayList<>();
    private static final List<ReadsClient> nodes = new ArrayList<>();

    @BeforeAll
    static void cluster() throws Exception {
        Assumptions.assumeTrue(PostgresServer.isAvailable(), "PostgreSQL is not installed");
        Assumptions.assumeTrue(OrthancServer.isAvailable(), "Orthanc is not installed");
        postgres = new PostgresServer().start();
        database = postgres.createDatabase("jvms");
        orthanc = new OrthancServer().start();
        int engineRestPort = 0;
        for (String name : List.of("node-a", "node-b")) {
            int port = EngineJvm.freePort();
            engineRestPort = engineRestPort == 0 ? port : engineRestPort;
            EngineJvm node = new EngineJvm(work.resolve(name), CrashingNode.class.getName(), List.of(CrashingNode.class),
                    List.of(), List.of("--spring.profiles.active=cluster", "--server.port=" + port,
                            "--groundflow.node-id=" + name, "--groundflow.worker.in-process=false",
                            "--groundflow.pacs.url=" + orthanc.dicomWebUrl(),
                            "--groundflow.fhir.base-url=" + TestServers.fhirBaseUrl(), "--groundflow.demo.enabled=true",
                            "--groundflow.retries=R3/PT2S", "--camunda.bpm.job-execution.wait-time-in-millis=200",
                            "--camunda.bpm.job-execution.max-wait=1000"),
                    Map.of("GROUNDFLOW_DB_URL", database, "GROUNDFLOW_DB_USER", PostgresServer.USER,
                            "GROUNDFLOW_DEMO_RADIOLOGIST_PASSWORD", PASSWORD,
                            "GROUNDFLOW_TEST_WORKER_PASSWORD", WORKER_PASSWORD));
            jvms.add(node.start());
            ReadsClient api = new ReadsClient(port, "radiologist", PASSWORD);
            awaitUp(node, api); // one after the other: the first makes the schema
            nodes.add(api);
        }
        jvms.add(new EngineJvm(work.resolve("worker"), "org.groundflow.workflow.app.GroundflowApplication", List.of(),
                List.of(), List.of("--spring.profiles.active=worker",
                        "--groundflow.worker.engine-rest-url=http://127.0.0.1:" + engineRestPort + "/engine-rest",
                        "--groundflow.worker.username=" + CrashingNode.WORKER,
                        "--groundflow.pacs.url=" + orthanc.dicomWebUrl(), "--groundflow.retries=R3/PT2S",
                        "--groundflow.worker.max-idle-wait=PT1S"),
                Map.of("GROUNDFLOW_WORKER_PASSWORD", WORKER_PASSWORD)).start());
    }

    @AfterAll
    static void stop() throws Exception {
        for (EngineJvm jvm : jvms) {
            jvm.stop();
        }
        if (orthanc != null) {
            orthanc.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void studiesStartedThroughTwoNodesAreEachReadOnceAndPublishedWithBothNodesWorking() throws Exception {
        int count = Integer.getInteger("groundflow.cluster.studies", 10);
        List<SyntheticStudy> studies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            studies.add(stored("jvms-" + i));
        }
        int transactionsBefore = fhirTransactions();
        long begin = System.nanoTime();
        Map<String, Integer> readNode = new HashMap<>();
        for (int i = 0; i < count; i++) {
            readNode.put(nodes.get(i % 2).start(studies.get(i)), i % 2);
        }
        for (Map.Entry<String, Integer> read : readNode.entrySet()) {
            ReadsClient other = nodes.get(1 - read.getValue());
            other.awaitState(read.getKey(), "AWAITING_REVIEW", Duration.ofMinutes(5));
            assertThat(other.signAcceptingAll(read.getKey())).isEqualTo(200);
        }
        int published = 0;
        for (Map.Entry<String, Integer> read : readNode.entrySet()) {
            assertThat(nodes.get(read.getValue()).awaitState(read.getKey(), "COMPLETED", Duration.ofMinutes(5))
                    .path("diagnosticReportId").asText()).isNotBlank();
            published++;
        }
        int transactions = fhirTransactions() - transactionsBefore;
        assertThat(transactions).as("FHIR transactions of %s reads", count).isGreaterThanOrEqualTo(count);
        log.info("{} studies through two engine JVMs and a worker JVM: {} ms", count,
                Duration.ofNanos(System.nanoTime() - begin).toMillis());

        try (Connection db = DriverManager.getConnection(database, PostgresServer.USER, "");
             Statement sql = db.createStatement()) {
            int reads = single(sql, "SELECT COUNT(*) FROM GF_READ");
            assertThat(reads).as("reads of %s studies", count).isEqualTo(count);
            for (SyntheticStudy study : studies) {
                String uid = study.studyInstanceUid().value();
                assertThat(single(sql, "SELECT COUNT(*) FROM GF_READ WHERE STUDY_UID = '" + uid + "'"))
                        .as("reads of study %s", uid).isEqualTo(1);
                assertThat(single(sql, "SELECT COUNT(*) FROM ACT_HI_PROCINST WHERE BUSINESS_KEY_ = '" + uid + "'"))
                        .as("process instances of study %s", uid).isEqualTo(1);
            }
            Map<String, Integer> jobsByNode = new HashMap<>();
            try (ResultSet rows = sql.executeQuery("SELECT HOSTNAME_, COUNT(*) FROM ACT_HI_JOB_LOG"
                    + " WHERE JOB_STATE_ = 2 GROUP BY HOSTNAME_")) {
                while (rows.next()) {
                    jobsByNode.put(rows.getString(1), rows.getInt(2));
                }
            }
            log.info("jobs run successfully per node: {}", jobsByNode);
            Files.writeString(Path.of("target/cluster-result.properties"), "studies=" + count + "\nmillis="
                    + Duration.ofNanos(System.nanoTime() - begin).toMillis() + "\nreads=" + reads + "\npublished="
                    + published + "\nfhir-transactions=" + transactions + "\nnode-a.jobs="
                    + jobsByNode.getOrDefault("node-a", 0) + "\nnode-b.jobs=" + jobsByNode.getOrDefault("node-b", 0)
                    + "\n");
            assertThat(jobsByNode).as("steps run per node").containsKeys("node-a", "node-b")
                    .allSatisfy((node, jobs) -> assertThat(jobs).isPositive());
        }
    }

    /** The transactions the FHIR endpoint received so far (it is shared by the test classes of one JVM). */
    private static int fhirTransactions() {
        return TestServers.fhir().findAll(postRequestedFor(urlEqualTo(TestServers.FHIR_PATH))).size();
    }

    private static int single(Statement sql, String query) throws SQLException {
        try (ResultSet rows = sql.executeQuery(query)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static void awaitUp(EngineJvm node, ReadsClient api) {
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                    assertThat(node.isAlive()).as("the node runs; its output:\n%s", node.tail()).isTrue();
                    return api.reviewsStatus() == 200;
                });
    }

    private static SyntheticStudy stored(String variant) throws IOException {
        return StoredStudies.stored(orthanc, work, variant);
    }
}
