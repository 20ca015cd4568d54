package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.LinkedMultiValueMap;

/** Who may do what: sign-in required, review tasks only for their groups, deployments only for admins. */
class SecurityTest extends ApplicationTest {

    private static final String MINIMAL_BPMN = """
            <?xml version="1.0" encoding="UTF-8"?>
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
                         targetNamespace="https://groundflow.org/test">
              <process id="security-probe" isExecutable="true" camunda:historyTimeToLive="P1D">
                <startEvent id="start"/>
              </process>
            </definitions>
            """;

    @Autowired
    DicomWebClient pacs;

    @Test
    void anonymousCallsAreRefusedWith401() {
        assertThat(anonymous().getForEntity("/api/reviews", String.class).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(anonymous().postForEntity("/api/reads", Map.of("studyInstanceUid", "1.2.3"), String.class).getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(anonymous().getForEntity("/engine-rest/deployment", String.class).getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        // a wrong password also delays the user's next sign-ins (Camunda's login delay): use a user of its own
        identity.ensureUser("wrongpasswordprobe", PASSWORD, List.of("radiologists"));
        assertThat(anonymous().withBasicAuth("wrongpasswordprobe", "wrong").getForEntity("/api/reviews", String.class)
                .getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(anonymous().getForEntity("/actuator/health", String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void onlyAdminsDeployProcessModels() {
        assertThat(deploy(RADIOLOGIST).getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(deploy(ADMIN).getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void reviewTasksBelongToTheirCandidateGroupAndTheSignedInUserSigns(@TempDir Path dir) {
        SyntheticStudy study = SyntheticStudy.builder().variant("security").slices(24).build();
        pacs.store(study.writeTo(dir)).requireAllStored();
        ResponseEntity<JsonNode> started = as(RADIOLOGIST).postForEntity("/api/reads",
                Map.of("studyInstanceUid", study.studyInstanceUid().value()), JsonNode.class);
        assertThat(started.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        String readId = started.getBody().path("readId").asText();

        JsonNode[] task = new JsonNode[1];
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            JsonNode open = as(RADIOLOGIST).getForObject("/api/reviews", JsonNode.class);
            task[0] = StreamSupport.stream(open.spliterator(), false)
                    .filter(t -> readId.equals(t.path("readId").asText())).findFirst().orElse(null);
            assertThat(task[0]).isNotNull();
        });
        String taskId = task[0].path("taskId").asText();
        List<Map<String, Object>> decisions = StreamSupport.stream(task[0].path("findings").spliterator(), false)
                .map(f -> Map.<String, Object>of("finding", f.path("number").asInt(), "decision", "reject")).toList();

        JsonNode othersTasks = as(OTHER_RADIOLOGIST).getForObject("/api/reviews", JsonNode.class);
        assertThat(othersTasks.toString()).doesNotContain(taskId);
        ResponseEntity<JsonNode> foreign = as(OTHER_RADIOLOGIST).postForEntity("/api/reviews/" + taskId,
                Map.of("decisions", decisions), JsonNode.class);
        assertThat(foreign.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(foreign.getBody().path("message").asText()).contains("radiologists").contains(OTHER_RADIOLOGIST);

        ResponseEntity<JsonNode> impostor = as(RADIOLOGIST).postForEntity("/api/reviews/" + taskId,
                Map.of("decisions", decisions, "reviewer", "someone.else"), JsonNode.class);
        assertThat(impostor.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);

        ResponseEntity<JsonNode> signed = as(RADIOLOGIST).postForEntity("/api/reviews/" + taskId,
                Map.of("decisions", decisions), JsonNode.class);
        assertThat(signed.getStatusCode()).isEqualTo(HttpStatus.OK);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                assertThat(as(RADIOLOGIST).getForObject("/api/reads/" + readId, JsonNode.class).path("reviewer").asText())
                        .isEqualTo(RADIOLOGIST));
    }

    private ResponseEntity<String> deploy(String user) {
        LinkedMultiValueMap<String, Object> form = new LinkedMultiValueMap<>();
        form.add("deployment-name", "security-probe");
        form.add("data", new ByteArrayResource(MINIMAL_BPMN.getBytes()) {
            @Override
            public String getFilename() {
                return "security-probe.bpmn";
            }
        });
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.MULTIPART_FORM_DATA);
        return as(user).postForEntity("/engine-rest/deployment/create", new HttpEntity<>(form, headers), String.class);
    }
}
