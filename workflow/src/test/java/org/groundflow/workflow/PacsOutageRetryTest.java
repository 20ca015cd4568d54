package org.groundflow.workflow;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.groundflow.workflow.read.ReadVariables.PROCESS_KEY;
import static org.groundflow.workflow.read.ReadVariables.READ_ID;
import static org.groundflow.workflow.read.ReadVariables.REQUESTED_BY;
import static org.groundflow.workflow.read.ReadVariables.STUDY_INSTANCE_UID;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Duration;
import java.util.UUID;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.variable.Variables;
import org.groundflow.workflow.app.GroundflowApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One layer retries: a PACS that answers 503 to everything costs exactly the calls of the step's retry cycle
 * ({@code groundflow.retries=R3/PT1S}: 3 runs of the step, 1 s apart), not that number times the client's own tries,
 * and then the read stops in an incident whose message names the study and the status.
 */
@SpringBootTest(classes = GroundflowApplication.class, properties = {
        "spring.datasource.url=jdbc:h2:mem:groundflow-pacs-outage;DB_CLOSE_DELAY=-1;MODE=LEGACY",
        "camunda.bpm.process-engine-name=pacs-outage",
        "groundflow.retries=" + PacsOutageRetryTest.CYCLE,
        "camunda.bpm.job-execution.wait-time-in-millis=200",
        "camunda.bpm.job-execution.max-wait=1000"
})
class PacsOutageRetryTest {

    static final String CYCLE = "R3/PT1S";
    /** The engine runs a step as often as the cycle's count says, the first run included. */
    private static final int CALLS = 3;
    private static final String STUDY = "1.2.826.0.1.3680043.8.498.4711";

    private static final WireMockServer PACS = down();

    @Autowired
    RuntimeService runtime;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("groundflow.pacs.url", () -> PACS.baseUrl() + "/dicom-web");
        registry.add("groundflow.work-dir", () -> TestServers.workDir().toString());
    }

    @AfterAll
    static void stop() {
        PACS.stop();
    }

    @Test
    void aPacsAnswering503CostsTheRetryCycleOfCallsThenOneIncident() throws InterruptedException {
        PACS.resetRequests();
        String readId = UUID.randomUUID().toString();
        ProcessInstance read = runtime.startProcessInstanceByKey(PROCESS_KEY, STUDY, Variables.createVariables()
                .putValue(READ_ID, readId).putValue(STUDY_INSTANCE_UID, STUDY).putValue(REQUESTED_BY, "rad1"));

        Incident incident = await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> runtime.createIncidentQuery().processInstanceId(read.getId()).singleResult(),
                        found -> found != null);
        Thread.sleep(2_500); // the cycle's interval is 1 s: another retry would have come by now

        String seriesSearch = "/dicom-web/studies/" + STUDY + "/series";
        assertThat(PACS.findAll(getRequestedFor(urlPathEqualTo(seriesSearch))))
                .as("QIDO-RS series searches for the study").hasSize(CALLS);
        assertThat(PACS.findAll(anyRequestedFor(urlPathMatching("/dicom-web/studies/" + STUDY.replace(".", "\\.") + "/.*"))))
                .as("requests about the study of any kind").hasSize(CALLS);
        assertThat(incident.getActivityId()).isEqualTo("RetrieveStudy");
        assertThat(incident.getIncidentMessage()).contains(STUDY, "HTTP 503");
    }

    private static WireMockServer down() {
        WireMockServer server = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1")
                .withBody("PACS down for maintenance")));
        return server;
    }
}
