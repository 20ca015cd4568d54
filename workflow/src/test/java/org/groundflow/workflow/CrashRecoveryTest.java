package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.testing.OrthancServer;
import org.groundflow.workflow.CrashingNode.Boundary;
import org.groundflow.workflow.testing.FhirSandbox;
import org.groundflow.workflow.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real engine JVM on PostgreSQL, the real Orthanc and the real FHIR server, killed abruptly ({@link Runtime#halt}:
 * no shutdown hook, no transaction ends) at each step boundary of a read and started again under the same node name
 * (host and port), on the engine's default job lock time (5 min). Every read completes; counted through QIDO-RS, the
 * PACS holds exactly one SEG and one SR of each read, and through FHIR search the FHIR server holds exactly one
 * DiagnosticReport of each read. The time from the restart to the read's next state (the review after a crash before
 * it, the end after one after it) is written to {@code target/crash-resume.tsv}; the restarted node does not wait for
 * the dead run's locks to expire. One read per boundary; {@code -Dgroundflow.crash.repetitions=N} repeats them
 * ({@code deploy/bench.sh crash}).
 */
class CrashRecoveryTest {

    private static final Logger log = LoggerFactory.getLogger(CrashRecoveryTest.class);
    private static final String PASSWORD = "crash-" + UUID.randomUUID();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SEG = "1.2.840.10008.5.1.4.1.1.66.4";
    private static final String SR_PREFIX = "1.2.840.10008.5.1.4.1.1.88.";
    /** Camunda's default job lock: a restarted node that waited for its old locks would take at least this long. */
    private static final Duration DEFAULT_LOCK = Duration.ofMinutes(5);

    @TempDir
    static Path work;

    private static PostgresServer postgres;
    private static OrthancServer orthanc;
    private static FhirSandbox fhir;
    private static EngineJvm node;
    private static ReadsClient api;
    private static Path crashFile;
    private static final Map<String, String> studyOfRead = new LinkedHashMap<>();
    /** One line per kill, written as soon as it is measured: an interrupted benchmark keeps what it measured. */
    private static final Path RESUMES = Path.of("target/crash-resume.tsv");

    @BeforeAll
    static void servers() throws IOException {
        Files.createDirectories(RESUMES.toAbsolutePath().getParent());
        Files.writeString(RESUMES, "");
        Assumptions.assumeTrue(PostgresServer.isAvailable(), "PostgreSQL is not installed");
        Assumptions.assumeTrue(OrthancServer.isAvailable(), "Orthanc is not installed");
        FhirSandbox.requireBuilt();
        postgres = new PostgresServer().start();
        String database = postgres.createDatabase("crash");
        orthanc = new OrthancServer().start();
        fhir = new FhirSandbox(Path.of("target/fhir-sandbox-crash").toAbsolutePath()).start();
        crashFile = work.resolve("crash-at");
        int port = EngineJvm.freePort();
        node = new EngineJvm(work.resolve("node"), CrashingNode.class.getName(), List.of(CrashingNode.class),
                List.of("-Dgroundflow.crash-file=" + crashFile),
                List.of("--server.port=" + port, "--spring.datasource.url=" + database,
                        "--spring.datasource.username=" + PostgresServer.USER, "--spring.datasource.password=",
                        "--groundflow.pacs.url=" + orthanc.dicomWebUrl(), "--groundflow.fhir.base-url=" + fhir.baseUrl(),
                        "--groundflow.demo.enabled=true", "--groundflow.retries=R3/PT2S",
                        "--groundflow.fhir.validate=" + Boolean.getBoolean("groundflow.crash.validate"),
                        "--camunda.bpm.job-execution.wait-time-in-millis=200",
                        "--camunda.bpm.job-execution.max-wait=1000"),
                Map.of("GROUNDFLOW_DEMO_RADIOLOGIST_PASSWORD", PASSWORD)).start();
        api = new ReadsClient(port, "radiologist", PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.stop();
        }
        if (fhir != null) {
            fhir.close();
        }
        if (orthanc != null) {
            orthanc.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void everyReadKilledAtAStepBoundaryCompletesOnceAfterARestart() throws Exception {
        int repetitions = Integer.getInteger("groundflow.crash.repetitions", 1);
        for (int i = 0; i < repetitions; i++) {
            for (Boundary boundary : Boundary.values()) {
                killAndResume(boundary, i);
            }
        }
        for (Map.Entry<String, String> read : studyOfRead.entrySet()) {
            List<String> classes = sopClasses(read.getValue());
            assertThat(classes).as("SEGs of read %s in the PACS", read.getKey()).containsOnlyOnce(SEG);
            assertThat(classes.stream().filter(c -> c.startsWith(SR_PREFIX)))
                    .as("SRs of read %s in the PACS", read.getKey()).hasSize(1);
            assertThat(fhir.count("DiagnosticReport?identifier=" + read.getKey()))
                    .as("DiagnosticReports of read %s", read.getKey()).isEqualTo(1);
        }
        assertThat(fhir.count("DiagnosticReport")).isEqualTo(studyOfRead.size());
    }

    private void killAndResume(Boundary boundary, int repetition) throws Exception {
        SyntheticStudy study = stored("crash-" + boundary.name().toLowerCase() + "-" + repetition);
        awaitUp();
        Files.writeString(crashFile, boundary.name());
        String readId = api.start(study);
        studyOfRead.put(readId, study.studyInstanceUid().value());
        boolean beforeReview = boundary == Boundary.AFTER_RETRIEVAL || boundary == Boundary.DURING_INTERPRETATION;
        if (!beforeReview) {
            api.awaitState(readId, "AWAITING_REVIEW", Duration.ofMinutes(2));
            if (boundary == Boundary.AFTER_SIGN_OFF) {
                assertThatThrownBy(() -> api.signAcceptingAll(readId)).as("the node dies before it answers")
                        .isInstanceOf(IOException.class);
            } else {
                assertThat(api.signAcceptingAll(readId)).isEqualTo(200);
            }
        }
        assertThat(node.awaitExit(180)).as("the node halted at %s; its output:\n%s", boundary, node.tail())
                .isEqualTo(CrashingNode.HALTED);
        assertThat(crashFile).doesNotExist();

        long restart = System.nanoTime();
        node.start();
        api.awaitState(readId, beforeReview ? "AWAITING_REVIEW" : "COMPLETED", DEFAULT_LOCK.minusMinutes(1));
        Duration resumed = Duration.ofNanos(System.nanoTime() - restart);
        Files.writeString(RESUMES, boundary.name() + "\t" + resumed.toMillis() + "\n", StandardOpenOption.APPEND);
        log.info("read {} killed at {}: resumed {} ms after the restart", readId, boundary, resumed.toMillis());
        assertThat(resumed).as("resumed before the dead run's job locks would have expired").isLessThan(DEFAULT_LOCK);
        if (beforeReview) {
            assertThat(api.signAcceptingAll(readId)).isEqualTo(200);
        }
        JsonNode done = api.awaitState(readId, "COMPLETED", Duration.ofMinutes(2));
        assertThat(done.path("diagnosticReportId").asText()).isNotBlank();
    }

    /** Awaits the node's API after its start (the demo radiologist exists once the application is ready). */
    private static void awaitUp() {
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                    assertThat(node.isAlive()).as("the node runs; its output:\n%s", node.tail()).isTrue();
                    return api.reviewsStatus() == 200;
                });
    }

    private static SyntheticStudy stored(String variant) throws IOException {
        return StoredStudies.stored(orthanc, work, variant);
    }

    /** The SOP Class UIDs of the study's instances, through QIDO-RS. */
    private static List<String> sopClasses(String studyUid) throws IOException {
        JsonNode instances = JSON.readTree(URI.create(orthanc.dicomWebUrl() + "/studies/" + studyUid + "/instances")
                .toURL().openStream());
        List<String> classes = new ArrayList<>();
        instances.forEach(i -> classes.add(i.path("00080016").path("Value").path(0).asText()));
        return classes;
    }
}
