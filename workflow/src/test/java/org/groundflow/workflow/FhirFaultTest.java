package org.groundflow.workflow;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.runtime.Job;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;

/**
 * A FHIR server that refuses Groundflow's credentials: one refused call, an incident at once (no retry storm);
 * once the fault is cleared, retrying the incident publishes the report exactly once.
 */
class FhirFaultTest extends ApplicationTest {

    @Autowired
    DicomWebClient pacs;
    @Autowired
    ManagementService management;

    @Test
    void refusedCredentialsStopInOneIncidentAndARetryPublishesOnce(@TempDir Path dir) throws Exception {
        SyntheticStudy study = SyntheticStudy.builder().variant("fhir-refused").slices(24).withoutLesions().build();
        pacs.store(study.writeTo(dir)).requireAllStored();
        String readId = as(RADIOLOGIST).postForEntity("/api/reads",
                Map.of("studyInstanceUid", study.studyInstanceUid().value()), JsonNode.class).getBody().path("readId").asText();
        StubMapping refused = TestServers.fhir().stubFor(post(urlEqualTo(TestServers.FHIR_PATH)).atPriority(1)
                .withRequestBody(containing(readId))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/fhir+json")
                        .withBody("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
                                + "\"code\":\"login\",\"diagnostics\":\"token expired\"}]}")));

        JsonNode[] task = new JsonNode[1];
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            task[0] = StreamSupport.stream(as(RADIOLOGIST).getForObject("/api/reviews", JsonNode.class).spliterator(), false)
                    .filter(t -> readId.equals(t.path("readId").asText())).findFirst().orElse(null);
            assertThat(task[0]).isNotNull();
        });
        assertThat(as(RADIOLOGIST).postForEntity("/api/reviews/" + task[0].path("taskId").asText(),
                Map.of("decisions", List.of(), "impression", "Normal."), JsonNode.class).getStatusCode()).isEqualTo(HttpStatus.OK);

        JsonNode[] read = new JsonNode[1];
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            read[0] = as(RADIOLOGIST).getForObject("/api/reads/" + readId, JsonNode.class);
            assertThat(read[0].path("state").asText()).isEqualTo("INCIDENT");
        });
        JsonNode incident = read[0].path("incidents").get(0);
        assertThat(incident.path("step").asText()).isEqualTo("PublishFhir");
        assertThat(incident.path("message").asText()).contains("401");
        Thread.sleep(3000); // the retry cycle of these tests is R1/PT1S: a retry would have come by now
        assertThat(TestServers.fhir().findAll(postRequestedFor(urlEqualTo(TestServers.FHIR_PATH))
                .withRequestBody(containing(readId)))).as("calls to the FHIR server").hasSize(1);

        TestServers.fhir().removeStub(refused);
        Job failed = management.createJobQuery().processInstanceId(read[0].path("processInstanceId").asText())
                .noRetriesLeft().singleResult();
        management.setJobRetries(failed.getId(), 1);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            read[0] = as(RADIOLOGIST).getForObject("/api/reads/" + readId, JsonNode.class);
            assertThat(read[0].path("state").asText()).isEqualTo("COMPLETED");
        });
        assertThat(read[0].path("diagnosticReportId").asText()).isNotBlank();
        assertThat(TestServers.fhir().findAll(postRequestedFor(urlEqualTo(TestServers.FHIR_PATH))
                .withRequestBody(containing(readId)))).as("one refused call, one publication").hasSize(2);
    }
}
