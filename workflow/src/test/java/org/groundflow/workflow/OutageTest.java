package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.testing.OrthancServer;
import org.groundflow.workflow.app.GroundflowApplication;
import org.groundflow.workflow.read.ReadVariables;
import org.groundflow.workflow.security.IdentitySetup;
import org.groundflow.workflow.testing.FhirSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Outages drain by themselves: while a batch of reads is signed and published, the real Orthanc is stopped (by PID)
 * and started again on the same port and storage, and the real FHIR server is stopped and started again (the SEGs
 * wait for the PACS, then the reports for the FHIR server). The outage is shorter than the retry pauses add up to
 * ({@link #RETRIES}, 315 s: the FHIR server takes 15 s to 2 min to start), so every read completes with no incident
 * and exactly one DiagnosticReport.
 */
@SpringBootTest(classes = GroundflowApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.datasource.url=jdbc:h2:mem:groundflow-outage;DB_CLOSE_DELAY=-1;MODE=LEGACY",
                "camunda.bpm.process-engine-name=outage",
                "groundflow.retries=" + OutageTest.RETRIES,
                "groundflow.fhir.validate=false",
                "camunda.bpm.job-execution.wait-time-in-millis=200",
                "camunda.bpm.job-execution.max-wait=1000"
        })
class OutageTest {

    static final String RETRIES = "PT5S,PT10S,PT20S,PT40S,PT80S,PT160S";
    private static final int READS = 3;
    private static final String PASSWORD = "outage-" + UUID.randomUUID();
    private static final Duration OUTAGE = Duration.ofSeconds(10);

    private static OrthancServer orthanc;
    private static FhirSandbox fhir;
    private static Process restartedOrthanc;

    @TempDir
    static Path work;

    @LocalServerPort
    int port;

    @Autowired
    IdentitySetup identities;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        Assumptions.assumeTrue(OrthancServer.isAvailable(), "Orthanc is not installed");
        FhirSandbox.requireBuilt();
        orthanc = new OrthancServer().start();
        fhir = new FhirSandbox(Path.of("target/fhir-sandbox-outage").toAbsolutePath()).start();
        registry.add("groundflow.pacs.url", orthanc::dicomWebUrl);
        registry.add("groundflow.fhir.base-url", fhir::baseUrl);
        registry.add("groundflow.work-dir", () -> TestServers.workDir().resolve("outage").toString());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (restartedOrthanc != null) {
            restartedOrthanc.destroy();
            restartedOrthanc.waitFor(20, TimeUnit.SECONDS);
        }
        if (orthanc != null) {
            orthanc.close();
        }
        if (fhir != null) {
            fhir.close();
        }
    }

    @Test
    void readsOutlastAnOutageOfThePacsAndOneOfTheFhirServerWithNoIncident() throws Exception {
        identities.ensureUser("outagerad", PASSWORD, List.of(ReadVariables.RADIOLOGISTS));
        ReadsClient api = new ReadsClient(port, "outagerad", PASSWORD);
        List<SyntheticStudy> studies = new ArrayList<>();
        for (int i = 0; i < READS; i++) {
            studies.add(stored("outage-" + i));
        }

        List<String> reads = new ArrayList<>();
        for (SyntheticStudy study : studies) {
            reads.add(api.start(study));
        }
        for (String read : reads) {
            api.awaitState(read, "AWAITING_REVIEW", Duration.ofMinutes(3));
        }

        long orthancPid = orthanc.pid();
        ProcessHandle.of(orthancPid).orElseThrow().destroy();
        ProcessHandle.of(orthancPid).orElseThrow().onExit().get(30, TimeUnit.SECONDS);
        fhir.stop();
        for (String read : reads) {
            assertThat(api.signAcceptingAll(read)).isEqualTo(200);
        }
        Thread.sleep(OUTAGE.toMillis()); // the SEGs' STOW-RS fail: connection refused
        restartedOrthanc = restartOrthanc();
        Thread.sleep(OUTAGE.toMillis()); // the SEGs are stored; the FHIR transactions fail: connection refused
        fhir.start();
        for (String read : reads) {
            assertThat(api.awaitState(read, "COMPLETED", Duration.ofMinutes(6)).path("diagnosticReportId").asText())
                    .isNotBlank();
            assertThat(fhir.count("DiagnosticReport?identifier=" + read)).as("reports of read %s", read).isEqualTo(1);
        }
    }

    /** Orthanc again, on its port and storage (its configuration file), as a process of this test. */
    private static Process restartOrthanc() throws IOException, InterruptedException {
        Path directory = orthanc.directory();
        Process process = new ProcessBuilder(OrthancServer.ORTHANC.toString(),
                "--logfile=" + directory.resolve("orthanc-2.log"), directory.resolve("orthanc.json").toString())
                .directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(directory.resolve("orthanc-2.out").toFile()).start();
        for (int i = 0; i < 200 && process.isAlive(); i++) {
            try (var in = java.net.URI.create(orthanc.restUrl() + "/system").toURL().openStream()) {
                return process;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("Orthanc did not start again");
    }

    private static SyntheticStudy stored(String variant) throws IOException {
        return StoredStudies.stored(orthanc, work, variant);
    }
}
