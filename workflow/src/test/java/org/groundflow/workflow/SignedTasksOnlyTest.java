package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.groundflow.workflow.read.ReadVariables.KEPT_FINDING_COUNT;
import static org.groundflow.workflow.read.ReadVariables.REVIEWER;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.variable.Variables;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.inference.Interpreter;
import org.groundflow.workflow.read.Draft;
import org.groundflow.workflow.read.DraftFixtures;
import org.groundflow.workflow.read.ReadStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.HttpHeaders;

/**
 * A review task completed anywhere but in Groundflow's review (Camunda's Tasklist, the engine's REST or Java API) has
 * no decisions to publish: the completion is refused, the task stays open with nothing stored, and the review through
 * the API still signs it.
 */
class SignedTasksOnlyTest extends ApplicationTest {

    @Autowired
    RuntimeService runtime;
    @Autowired
    TaskService tasks;
    @Autowired
    ReadStore store;
    @Autowired
    Interpreter interpreter;

    @TempDir
    Path dir;

    @Test
    void aReviewTaskCompletesOnlyWithItsSignOff() throws Exception {
        Draft draft = DraftFixtures.of(SyntheticStudy.builder().variant("signed-tasks-only").build(), interpreter.card(),
                dir.resolve("source"));
        ReadsAtReview.Read read = new ReadsAtReview(runtime, tasks, store).of(draft, RADIOLOGIST);

        // as Tasklist or a script would: the Java API, then the engine's REST API as an administrator
        assertThatThrownBy(() -> tasks.complete(read.taskId(), Variables.createVariables()
                .putValue(KEPT_FINDING_COUNT, 1).putValue(REVIEWER, RADIOLOGIST)))
                .isInstanceOf(ProcessEngineException.class)
                .hasMessageContaining(read.readId()).hasMessageContaining(read.study().value())
                .hasMessageContaining("/api/reviews/" + read.taskId());
        HttpHeaders json = new HttpHeaders();
        json.setContentType(MediaType.APPLICATION_JSON);
        ResponseEntity<JsonNode> viaRest = as(ADMIN).postForEntity("/engine-rest/task/" + read.taskId() + "/complete",
                new HttpEntity<>("{\"variables\": {}}", json), JsonNode.class);
        assertThat(viaRest.getStatusCode().is2xxSuccessful()).as("engine REST: %s", viaRest.getBody()).isFalse();
        assertThat(viaRest.getBody().path("message").asText()).contains(read.readId());

        assertThat(tasks.createTaskQuery().taskId(read.taskId()).count()).as("task still open").isEqualTo(1);
        assertThat(store.signOff(read.readId())).isEmpty();

        List<Map<String, Object>> decisions = draft.interpretation().findings().stream()
                .map(f -> Map.<String, Object>of("finding", f.number(), "decision", "accept")).toList();
        ResponseEntity<JsonNode> signed = as(RADIOLOGIST).postForEntity("/api/reviews/" + read.taskId(),
                Map.of("decisions", decisions, "impression", "Signed in the review."), JsonNode.class);
        assertThat(signed.getStatusCode()).as("%s", signed.getBody()).isEqualTo(HttpStatus.OK);
        assertThat(tasks.createTaskQuery().taskId(read.taskId()).count()).isZero();
        assertThat(store.signOff(read.readId())).hasValueSatisfying(s -> assertThat(s.reviewer()).isEqualTo(RADIOLOGIST));
    }
}
