package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.camunda.bpm.engine.ProcessEngine;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.workflow.RawHttp.Answer;
import org.groundflow.workflow.audit.SignOffAudit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Hostile input to the REST API and the review form, sent by a user who may use them: malformed JSON, bodies over the
 * limit (declared and chunked), very long strings, control characters and unpaired surrogates in edited text, junk
 * UIDs and ids, wrong content and answer types, wrong methods. Each answer is the expected 4xx with a JSON error
 * body ({@code status}, {@code error}, {@code message}), never a 5xx, and the engine is as it was before.
 */
class HostileInputTest extends ApplicationTest {

    /** Above the default body limit of 256 KiB, below what Tomcat swallows after an early answer (2 MiB). */
    private static final int OVERSIZED = 300 * 1024;

    @Autowired
    DicomWebClient pacs;
    @Autowired
    ProcessEngine engine;
    @Autowired
    SignOffAudit audit;
    @LocalServerPort
    int port;

    private SecurityFixture.Reads reads;

    record Case(String name, String method, String path, String contentType, String body, int status) {
    }

    @BeforeEach
    void fixture() {
        reads = SecurityFixture.reads(this, pacs, engine);
    }

    private List<Case> cases() {
        JsonNode readA = as(RADIOLOGIST).getForObject("/api/reads/" + reads.readA(), JsonNode.class);
        List<Integer> findings = StreamSupport.stream(readA.path("findings").spliterator(), false)
                .map(f -> f.path("number").asInt()).toList();
        String reads = "/api/reads";
        String read = "/api/reads/" + this.reads.readA();
        String review = "/api/reviews/" + this.reads.taskA();
        String json = "application/json";
        List<Case> cases = new ArrayList<>(List.of(
                new Case("malformed JSON", "POST", reads, json, "{\"studyInstanceUid\":", 400),
                new Case("JSON array", "POST", reads, json, "[1,2,3]", 400),
                new Case("JSON null", "POST", reads, json, "null", 400),
                new Case("empty body", "POST", reads, json, "", 400),
                new Case("object for a string", "POST", reads, json, "{\"studyInstanceUid\":{\"$gt\":\"\"}}", 400),
                new Case("deeply nested JSON", "POST", reads, json, "[".repeat(5000) + "]".repeat(5000), 400),
                new Case("very long UID", "POST", reads, json, "{\"studyInstanceUid\":\"" + "1.".repeat(5000) + "1\"}", 400),
                new Case("SQL in the UID", "POST", reads, json, "{\"studyInstanceUid\":\"1.2'; DROP TABLE ACT_RU_TASK;--\"}", 400),
                new Case("Arabic digits in the UID", "POST", reads, json, "{\"studyInstanceUid\":\"\u0661.\u0662.\u0663\"}", 400),
                new Case("NUL in the UID", "POST", reads, json, "{\"studyInstanceUid\":\"1.2\\u0000.3\"}", 400),
                new Case("text/plain", "POST", reads, "text/plain", "{\"studyInstanceUid\":\"1.2.3\"}", 415),
                new Case("XML", "POST", reads, "application/xml", "<studyInstanceUid>1.2.3</studyInstanceUid>", 415),
                new Case("form fields", "POST", reads, "application/x-www-form-urlencoded", "studyInstanceUid=1.2.3", 415),
                new Case("multipart", "POST", reads, "multipart/form-data; boundary=x",
                        "--x\r\nContent-Disposition: form-data; name=\"studyInstanceUid\"\r\n\r\n1.2.3\r\n--x--\r\n", 415),
                new Case("malformed multipart", "POST", reads, "multipart/form-data; boundary=x", "--x\r\n\r\n1.2.3", 400),
                new Case("no content type", "POST", reads, null, "{\"studyInstanceUid\":\"1.2.3\"}", 415),
                new Case("PUT on reads", "PUT", reads, json, "{}", 405),
                new Case("PATCH on a read", "PATCH", read, json, "{}", 405),
                new Case("read id not a UUID", "GET", "/api/reads/not-a-read", null, null, 400),
                new Case("read id with markup", "GET", "/api/reads/%3Cimg%20src=x%20onerror=alert(1)%3E", null, null, 400),
                new Case("unknown read", "GET", "/api/reads/00000000-0000-4000-8000-000000000000", null, null, 404),
                new Case("very long read id", "GET", "/api/reads/" + "a".repeat(4000), null, null, 400),
                new Case("semicolon in the path", "GET", "/api/reads/x;y=1", null, null, 400),
                new Case("slice not a number", "GET", read + "/slices/abc.png", null, null, 400),
                new Case("slice out of range", "GET", read + "/slices/100000.png", null, null, 404),
                new Case("slice overflowing int", "GET", read + "/slices/99999999999999999999.png", null, null, 400),
                new Case("unknown window", "GET", read + "/slices/0.png?window=%3Cscript%3E", null, null, 400),
                new Case("junk segment list", "GET", read + "/overlays/0.png?segments=1,%27x", null, null, 400),
                new Case("audit of a junk UID", "GET", "/api/studies/1.2.x/audit", null, null, 400),
                new Case("audit of a 65-character UID", "GET", "/api/studies/" + "1".repeat(65) + "/audit", null, null, 400),
                new Case("no such API path", "GET", "/api/nothing-here", null, null, 404),
                new Case("XML answer wanted", "GET", "/api/me?accept=xml", null, null, 406),
                new Case("cancel with a reason too long", "DELETE", read, json, "{\"reason\":\"" + "x".repeat(1001) + "\"}", 400),
                new Case("cancel with a control character", "DELETE", read, json, "{\"reason\":\"wrong\\u001bstudy\"}", 400),
                new Case("cancel with malformed JSON", "DELETE", read, json, "{reason:", 400),
                new Case("review: malformed JSON", "POST", review, json, "{\"decisions\":[", 400),
                new Case("review: decisions not a list", "POST", review, json, "{\"decisions\":\"all\"}", 400),
                new Case("review: finding not a number", "POST", review, json,
                        "{\"decisions\":[{\"finding\":\"one\",\"decision\":\"accept\"}]}", 400),
                new Case("review: finding number overflowing", "POST", review, json,
                        "{\"decisions\":[{\"finding\":1e400,\"decision\":\"accept\"}]}", 400),
                new Case("review: unknown decision", "POST", review, json, decisions(findings, "maybe", null), 400),
                new Case("review: a finding without decision", "POST", review, json,
                        decisions(findings.subList(0, findings.size() - 1), "accept", null), 400),
                new Case("review: edit without text", "POST", review, json, decisions(findings, "edit", ""), 400),
                new Case("review: BEL in edited text", "POST", review, json, decisions(findings, "edit", "a\\u0007b"), 400),
                new Case("review: NUL in edited text", "POST", review, json, decisions(findings, "edit", "a\\u0000b"), 400),
                new Case("review: ESC sequence in edited text", "POST", review, json,
                        decisions(findings, "edit", "\\u001b[31mred"), 400),
                new Case("review: C1 control in edited text", "POST", review, json, decisions(findings, "edit", "a\\u0085b"), 400),
                new Case("review: unpaired surrogate in edited text", "POST", review, json,
                        decisions(findings, "edit", "a\\ud800b"), 400),
                new Case("review: edited text too long", "POST", review, json,
                        decisions(findings, "edit", "x".repeat(10_001)), 400),
                new Case("review: impression too long", "POST", review, json,
                        withImpression(decisions(findings, "accept", null), "y".repeat(20_000)), 400),
                new Case("review: control character in the impression", "POST", review, json,
                        withImpression(decisions(findings, "accept", null), "a\\u000cb"), 400),
                new Case("review: someone else as reviewer", "POST", review, json,
                        decisions(findings, "accept", null).replace("]}", "],\"reviewer\":\"<b>boss</b>\"}"), 403),
                new Case("review: text/plain", "POST", review, "text/plain", decisions(findings, "accept", null), 415),
                new Case("review: junk task id", "POST", "/api/reviews/%27%20OR%20%271%27%3D%271", json,
                        decisions(findings, "accept", null), 404),
                new Case("review: very long task id", "POST", "/api/reviews/" + "t".repeat(4000), json,
                        decisions(findings, "accept", null), 404),
                new Case("review: PUT", "PUT", review, json, decisions(findings, "accept", null), 405),
                new Case("body over the limit", "POST", reads, json, padded(OVERSIZED), 413),
                new Case("review body over the limit", "POST", review, json, padded(OVERSIZED), 413)));
        return cases;
    }

    /** The same decision with the same text (JSON-escaped already) on each finding. */
    private static String decisions(List<Integer> findings, String decision, String text) {
        return findings.stream().map(n -> "{\"finding\":" + n + ",\"decision\":\"" + decision + "\""
                        + (text == null ? "" : ",\"text\":\"" + text + "\"") + "}")
                .collect(Collectors.joining(",", "{\"decisions\":[", "]}"));
    }

    private static String withImpression(String decisions, String impression) {
        return decisions.substring(0, decisions.length() - 1) + ",\"impression\":\"" + impression + "\"}";
    }

    private static String padded(int size) {
        return "{\"studyInstanceUid\":\"1.2.3\",\"pad\":\"" + "p".repeat(size) + "\"}";
    }

    @Test
    void hostileCallsAreRefusedWithJsonAndChangeNothing() {
        RawHttp http = new RawHttp(port);
        Map<String, Long> before = engineState();
        List<String> wrong = new ArrayList<>();
        for (Case c : cases()) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Authorization", RawHttp.basic(RADIOLOGIST, PASSWORD));
            if (c.contentType() != null) {
                headers.put("Content-Type", c.contentType());
            }
            String path = c.path();
            if (path.endsWith("?accept=xml")) {
                path = path.substring(0, path.length() - "?accept=xml".length());
                headers.put("Accept", "application/xml");
            }
            check(c.name(), http.send(c.method(), path, headers, c.body()), c.status(), wrong);
        }
        // an encoded slash is refused by Tomcat itself, before any application code, with its own (HTML) 400
        assertThat(http.send("GET", "/api/reads/a%2Fb", Map.of("Authorization", RawHttp.basic(RADIOLOGIST, PASSWORD)),
                (String) null).status()).as("encoded slash").isEqualTo(400);
        assertThat(wrong).as("answers to hostile calls").isEmpty();
        assertThat(engineState()).as("the engine after hostile calls").isEqualTo(before);
    }

    @Test
    void oversizedBodiesAreRefusedBeforeTheyAreRead() {
        RawHttp http = new RawHttp(port);
        Map<String, Long> before = engineState();
        List<String> wrong = new ArrayList<>();
        byte[] oversized = padded(OVERSIZED).getBytes(StandardCharsets.UTF_8);
        Map<String, String> json = Map.of("Content-Type", "application/json");
        check("declared, anonymous", http.send("POST", "/api/reads", json, padded(OVERSIZED)), 413, wrong);
        Map<String, String> signedIn = Map.of("Content-Type", "application/json",
                "Authorization", RawHttp.basic(RADIOLOGIST, PASSWORD));
        check("chunked", http.send("POST", "/api/reads", signedIn,
                RawHttp.chunked(() -> new ByteArrayInputStream(oversized))), 413, wrong);
        check("chunked review", http.send("POST", "/api/reviews/" + reads.taskA(), signedIn,
                RawHttp.chunked(() -> new ByteArrayInputStream(oversized))), 413, wrong);
        byte[] small = ("{\"studyInstanceUid\":\"" + URLEncoder.encode("x y", StandardCharsets.UTF_8) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        check("chunked under the limit reaches validation", http.send("POST", "/api/reads", signedIn,
                RawHttp.chunked(() -> new ByteArrayInputStream(small))), 400, wrong);
        assertThat(wrong).isEmpty();
        assertThat(engineState()).isEqualTo(before);
    }

    private static void check(String name, Answer answer, int status, List<String> wrong) {
        String problem = null;
        if (answer.status() != status) {
            problem = "status " + answer.status() + ", expected " + status;
        } else {
            try {
                JsonNode body = answer.json();
                if (body.path("status").asInt() != status || body.path("error").asText().isBlank()
                        || body.path("message").asText().isBlank()) {
                    problem = "not the API's error shape";
                }
            } catch (AssertionError e) {
                problem = "not JSON";
            }
        }
        if (problem != null) {
            String text = answer.body() == null ? "" : answer.body();
            wrong.add(name + ": " + problem + ": " + (text.length() > 300 ? text.substring(0, 300) + "…" : text));
        }
    }

    /** Reads started, open tasks, the fixture's read A and review task A, sign-offs of study A, deployments. */
    private Map<String, Long> engineState() {
        Map<String, Long> state = new LinkedHashMap<>();
        state.put("reads started", engine.getHistoryService().createHistoricProcessInstanceQuery().count());
        state.put("read A running", engine.getRuntimeService().createProcessInstanceQuery()
                .processInstanceId(reads.processA()).count());
        state.put("task A open and unassigned", engine.getTaskService().createTaskQuery().taskId(reads.taskA())
                .taskUnassigned().count());
        state.put("sign-offs of study A", (long) audit.forStudy(reads.studyA()).size());
        state.put("deployments", engine.getRepositoryService().createDeploymentQuery().count());
        return state;
    }
}
