package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;

/**
 * A radiologist's calls of a Groundflow node's REST API over HTTP (basic authentication): start a read, follow its
 * state, sign its review accepting every finding. Calls made while the node is down fail with an I/O error.
 */
final class ReadsClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String authorization;

    ReadsClient(int port, String user, String password) {
        this.base = "http://127.0.0.1:" + port;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Starts a read of the study; its id. */
    String start(SyntheticStudy study) throws IOException {
        Answer answer = call("POST", "/api/reads", Map.of("studyInstanceUid", study.studyInstanceUid().value()));
        assertThat(answer.status()).as("start of %s: %s", study.studyInstanceUid(), answer.body()).isEqualTo(201);
        return answer.body().path("readId").asText();
    }

    JsonNode read(String readId) throws IOException {
        Answer answer = call("GET", "/api/reads/" + readId, null);
        assertThat(answer.status()).as("read %s: %s", readId, answer.body()).isEqualTo(200);
        return answer.body();
    }

    /** Waits until the read is in the state, with no incident, while the node may still be starting. */
    JsonNode awaitState(String readId, String state, Duration atMost) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(250)).ignoreExceptionsInstanceOf(IOException.class)
                .untilAsserted(() -> {
                    last[0] = read(readId);
                    assertThat(last[0].path("incidents")).as("incidents: %s", last[0]).isEmpty();
                    assertThat(last[0].path("state").asText()).as("read %s", readId).isEqualTo(state);
                });
        return last[0];
    }

    /** Waits until the read stops in an incident; the read, its incidents listed. */
    JsonNode awaitIncident(String readId, Duration atMost) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(500)).ignoreExceptionsInstanceOf(IOException.class)
                .untilAsserted(() -> {
                    last[0] = read(readId);
                    assertThat(last[0].path("state").asText()).as("read %s: %s", readId, last[0]).isEqualTo("INCIDENT");
                });
        return last[0];
    }

    /**
     * The REST equivalent of Cockpit's "Increment Number of Retries of Failed Jobs" on the job definition of a step of
     * the process (README, "Outages"): every failed job of that step, across all reads, runs again. An admin's call;
     * the HTTP status of the change.
     */
    int retryFailedJobs(String processKey, String activityId) throws IOException {
        Answer definitions = call("GET", "/engine-rest/job-definition?processDefinitionKey=" + processKey
                + "&activityIdIn=" + activityId, null);
        assertThat(definitions.status()).as("job definitions: %s", definitions.body()).isEqualTo(200);
        assertThat(definitions.body()).as("the job definitions of step %s", activityId).hasSize(1);
        return call("PUT", "/engine-rest/job-definition/" + definitions.body().path(0).path("id").asText() + "/retries",
                Map.of("retries", 1)).status();
    }

    /** The status of the review list: 200 once the node is up and the user exists. */
    int reviewsStatus() throws IOException {
        return call("GET", "/api/reviews", null).status();
    }

    /** Signs the read's review accepting every finding; the HTTP status. */
    int signAcceptingAll(String readId) throws IOException {
        return send(acceptingAll(readId));
    }

    /** A sign-off ready to send: its path and body. */
    record SignOffRequest(String path, Map<String, Object> body) {
    }

    /** The sign-off of the read's open review accepting every finding, made but not sent. */
    SignOffRequest acceptingAll(String readId) throws IOException {
        JsonNode read = read(readId);
        JsonNode task = StreamSupport.stream(call("GET", "/api/reviews", null).body().spliterator(), false)
                .filter(t -> readId.equals(t.path("readId").asText())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no review of read " + readId));
        List<Map<String, Object>> decisions = new ArrayList<>();
        read.path("findings").forEach(f -> decisions.add(Map.of("finding", f.path("number").asInt(),
                "decision", "accept")));
        return new SignOffRequest("/api/reviews/" + task.path("taskId").asText(),
                Map.of("decisions", decisions, "impression", "Signed through the API."));
    }

    /** Sends the sign-off; the HTTP status. */
    int send(SignOffRequest signOff) throws IOException {
        return call("POST", signOff.path(), signOff.body()).status();
    }

    private record Answer(int status, JsonNode body) {
    }

    private Answer call(String method, String path, Object body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(base + path).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(2000);
        c.setReadTimeout(60_000);
        c.setRequestProperty("Authorization", authorization);
        c.setRequestProperty("Accept", "application/json");
        if (body != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            c.getOutputStream().write(JSON.writeValueAsBytes(body));
        }
        int status = c.getResponseCode();
        var in = status < 400 ? c.getInputStream() : c.getErrorStream();
        byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
        try {
            return new Answer(status, bytes.length == 0 ? JSON.nullNode() : JSON.readTree(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " answered " + status + " with no JSON", e);
        }
    }
}
