package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
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
 * An outage longer than the retry cycle (README, "Outages"): with {@code groundflow.outage-tolerance} of 20 s (pauses
 * of 10 s and 20 s), the real FHIR server is stopped while a read is signed and stays down until the read stops in an
 * incident at the FHIR step whose message names the study and the unreachable server. Once the server is back, the one
 * documented action, through REST ({@code PUT /engine-rest/job-definition/{id}/retries}), retries the failed jobs and
 * the read completes with exactly one DiagnosticReport.
 */
@SpringBootTest(classes = GroundflowApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.datasource.url=jdbc:h2:mem:groundflow-long-outage;DB_CLOSE_DELAY=-1;MODE=LEGACY",
                "camunda.bpm.process-engine-name=long-outage",
                "groundflow.outage-tolerance=PT20S",
                "groundflow.fhir.validate=false",
                "camunda.bpm.job-execution.wait-time-in-millis=200",
                "camunda.bpm.job-execution.max-wait=1000"
        })
class LongOutageTest {

    private static final String PASSWORD = "long-outage-" + UUID.randomUUID();

    private static OrthancServer orthanc;
    private static FhirSandbox fhir;

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
        fhir = new FhirSandbox(Path.of("target/fhir-sandbox-long-outage").toAbsolutePath()).start();
        registry.add("groundflow.pacs.url", orthanc::dicomWebUrl);
        registry.add("groundflow.fhir.base-url", fhir::baseUrl);
        registry.add("groundflow.work-dir", () -> TestServers.workDir().resolve("long-outage").toString());
    }

    @AfterAll
    static void stop() {
        if (orthanc != null) {
            orthanc.close();
        }
        if (fhir != null) {
            fhir.close();
        }
    }

    @Test
    void aReadOutlastingTheRetryCycleEndsInAnIncidentNamingTheServerAndCompletesOnceAfterTheDocumentedRetry()
            throws Exception {
        identities.ensureUser("longrad", PASSWORD, List.of(ReadVariables.RADIOLOGISTS));
        identities.ensureUser("longadmin", PASSWORD, List.of("camunda-admin"));
        ReadsClient api = new ReadsClient(port, "longrad", PASSWORD);
        SyntheticStudy study = StoredStudies.stored(orthanc, work, "long-outage");
        String uid = study.studyInstanceUid().value();
        String read = api.start(study);
        api.awaitState(read, "AWAITING_REVIEW", Duration.ofMinutes(3));

        fhir.stop();
        assertThat(api.signAcceptingAll(read)).isEqualTo(200);
        JsonNode stopped = api.awaitIncident(read, Duration.ofMinutes(3));
        JsonNode incident = stopped.path("incidents").get(0);
        assertThat(stopped.path("incidents")).as("incidents of read %s", read).hasSize(1);
        assertThat(incident.path("step").asText()).isEqualTo("PublishFhir");
        assertThat(incident.path("message").asText()).contains(uid, fhir.baseUrl());

        fhir.start();
        ReadsClient admin = new ReadsClient(port, "longadmin", PASSWORD);
        assertThat(admin.retryFailedJobs(ReadVariables.PROCESS_KEY, "PublishFhir")).isEqualTo(204);
        assertThat(api.awaitState(read, "COMPLETED", Duration.ofMinutes(2)).path("diagnosticReportId").asText())
                .isNotBlank();
        assertThat(fhir.count("DiagnosticReport?identifier=" + read)).as("reports of read %s", read).isEqualTo(1);
        assertThat(fhir.count("DiagnosticReport")).as("reports on the FHIR server").isEqualTo(1);
    }
}
