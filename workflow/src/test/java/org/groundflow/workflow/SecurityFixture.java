package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.task.Task;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.workflow.read.ReadVariables;
import org.groundflow.workflow.security.Roles;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * The reads the security tests share, made once per test JVM through the REST API: read A, requested by a
 * radiologist of group A ({@code radiologists}, whom the process model offers reviews) and awaiting their review;
 * read B, requested by a radiologist of group B ({@code neuroradiologists}), whose review task is offered to group B
 * instead; a read cancelled by its requester; and a study in the PACS that no read has touched.
 */
final class SecurityFixture {

    static final String GROUP_A = ReadVariables.RADIOLOGISTS;
    static final String GROUP_B = "neuroradiologists";
    static final String WORKER = "worker1";

    record Reads(String readA, String taskA, String studyA, String processA, String readB, String taskB, String studyB,
                 String endedRead, String spareStudy) {
    }

    private static Reads reads;

    private SecurityFixture() {
    }

    static synchronized Reads reads(ApplicationTest test, DicomWebClient pacs, ProcessEngine engine) {
        test.identity.ensureUser(WORKER, ApplicationTest.PASSWORD, List.of(Roles.WORKER_GROUP));
        if (reads != null) {
            return reads;
        }
        grantAdminsEverything(engine.getAuthorizationService());
        TaskService tasks = engine.getTaskService();
        String studyA = store(pacs, "security-a");
        String studyB = store(pacs, "security-b");
        String studyC = store(pacs, "security-ended");
        String spare = store(pacs, "security-spare");
        String readA = start(test, ApplicationTest.RADIOLOGIST, studyA);
        String readB = start(test, ApplicationTest.OTHER_RADIOLOGIST, studyB);
        String ended = start(test, ApplicationTest.RADIOLOGIST, studyC);
        ResponseEntity<JsonNode> cancelled = test.as(ApplicationTest.RADIOLOGIST).exchange("/api/reads/" + ended,
                HttpMethod.DELETE, null, JsonNode.class);
        assertThat(cancelled.getStatusCode()).as("cancel %s: %s", ended, cancelled.getBody()).isEqualTo(HttpStatus.OK);

        JsonNode a = awaitReview(test, readA);
        awaitReview(test, readB);
        Task taskA = tasks.createTaskQuery().processInstanceId(a.path("processInstanceId").asText()).singleResult();
        Task taskB = tasks.createTaskQuery().processVariableValueEquals(ReadVariables.READ_ID, readB).singleResult();
        tasks.deleteCandidateGroup(taskB.getId(), GROUP_A);
        tasks.addCandidateGroup(taskB.getId(), GROUP_B);
        reads = new Reads(readA, taskA.getId(), studyA, a.path("processInstanceId").asText(), readB, taskB.getId(),
                studyB, ended, spare);
        return reads;
    }

    /** What {@code camunda.bpm.admin-user} grants the admin group when it creates the first admin (run.sh does). */
    private static void grantAdminsEverything(AuthorizationService authorizations) {
        for (Resources resource : Resources.values()) {
            if (authorizations.createAuthorizationQuery().groupIdIn(Roles.ADMIN_GROUP).resourceType(resource)
                    .resourceId(Authorization.ANY).count() == 0) {
                Authorization grant = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
                grant.setGroupId(Roles.ADMIN_GROUP);
                grant.setResource(resource);
                grant.setResourceId(Authorization.ANY);
                grant.addPermission(Permissions.ALL);
                authorizations.saveAuthorization(grant);
            }
        }
    }

    private static String store(DicomWebClient pacs, String variant) {
        SyntheticStudy study = SyntheticStudy.builder().variant(variant).slices(24).build();
        if (pacs.findStudy(study.studyInstanceUid()).isEmpty()) {
            try {
                pacs.store(study.writeTo(Files.createTempDirectory("groundflow-" + variant))).requireAllStored();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return study.studyInstanceUid().value();
    }

    private static String start(ApplicationTest test, String user, String study) {
        ResponseEntity<JsonNode> started = test.as(user).postForEntity("/api/reads", Map.of("studyInstanceUid", study),
                JsonNode.class);
        assertThat(started.getStatusCode()).as("start a read of %s: %s", study, started.getBody())
                .isEqualTo(HttpStatus.CREATED);
        return started.getBody().path("readId").asText();
    }

    private static JsonNode awaitReview(ApplicationTest test, String readId) {
        JsonNode[] read = new JsonNode[1];
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            read[0] = test.as(ApplicationTest.ADMIN).getForObject("/api/reads/" + readId, JsonNode.class);
            assertThat(read[0].path("incidents")).as("incidents of %s", read[0]).isEmpty();
            assertThat(read[0].path("state").asText()).isEqualTo("AWAITING_REVIEW");
        });
        return read[0];
    }
}
