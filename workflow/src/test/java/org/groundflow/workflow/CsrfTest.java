package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.ServletContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.task.Task;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.workflow.RawHttp.Answer;
import org.groundflow.workflow.RawHttp.Session;
import org.groundflow.workflow.audit.SignOffAudit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * A page of another site makes the signed-in browser send its session cookie, and nothing else, with a
 * state-changing call. Each such call is refused and changes nothing: Groundflow's API and forms want the CSRF token
 * (403), the engine's REST API takes no session at all (401), Camunda's webapps want their own token (403). With the
 * tokens, as the review UI and the webapps send them, the same calls get through.
 */
class CsrfTest extends ApplicationTest {

    private static final String CROSS_SITE = "cross-site";
    private static final String BPMN = """
            <?xml version="1.0" encoding="UTF-8"?>
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
                         targetNamespace="https://groundflow.org/test">
              <process id="csrf-probe" isExecutable="true" camunda:historyTimeToLive="P1D"><startEvent id="start"/></process>
            </definitions>
            """;

    @Autowired
    DicomWebClient pacs;
    @Autowired
    ProcessEngine engine;
    @Autowired
    ApplicationContext context;
    @Autowired
    ServletContext servletContext;
    @Autowired
    SignOffAudit audit;
    @LocalServerPort
    int port;

    private SecurityFixture.Reads reads;
    private RawHttp http;

    /** What a forged call could change: reads started, deployments, the fixture's reads, tasks and audit. */
    record EngineState(long readsStarted, long deployments, boolean readARunning, Set<String> openUnassignedTasks,
                       long lockedExternalTasks, int signOffsOfStudyA) {
    }

    @BeforeEach
    void fixture() {
        reads = SecurityFixture.reads(this, pacs, engine);
        http = new RawHttp(port);
    }

    private EngineState state() {
        Set<String> open = engine.getTaskService().createTaskQuery().taskIdIn(reads.taskA(), reads.taskB()).taskUnassigned()
                .list().stream().map(Task::getId).collect(Collectors.toCollection(TreeSet::new));
        return new EngineState(engine.getHistoryService().createHistoricProcessInstanceQuery().count(),
                engine.getRepositoryService().createDeploymentQuery().count(),
                engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(reads.processA()).count() == 1,
                open, engine.getExternalTaskService().createExternalTaskQuery().locked().count(),
                audit.forStudy(reads.studyA()).size());
    }

    /** Each of Groundflow's state-changing calls as the user it would act for, with a body that would succeed. */
    private Map<String, Forged> groundflowCalls() {
        JsonNode readA = as(RADIOLOGIST).getForObject("/api/reads/" + reads.readA(), JsonNode.class);
        String decisions = StreamSupport.stream(readA.path("findings").spliterator(), false)
                .map(f -> "{\"finding\":" + f.path("number").asInt() + ",\"decision\":\"accept\"}")
                .collect(Collectors.joining(",", "[", "]"));
        Map<String, Forged> calls = new LinkedHashMap<>();
        calls.put("POST /api/reads", new Forged("POST", "/api/reads",
                "{\"studyInstanceUid\":\"" + reads.spareStudy() + "\"}"));
        calls.put("DELETE /api/reads/{readId}", new Forged("DELETE", "/api/reads/" + reads.readA(),
                "{\"reason\":\"" + CROSS_SITE + "\"}"));
        calls.put("POST /api/reads/{readId}/amendments", new Forged("POST", "/api/reads/" + reads.readA() + "/amendments",
                null));
        calls.put("POST /api/reads/{readId}/retraction", new Forged("POST", "/api/reads/" + reads.readA() + "/retraction",
                "{\"reason\":\"" + CROSS_SITE + "\"}"));
        calls.put("POST /api/reviews/{taskId}", new Forged("POST", "/api/reviews/" + reads.taskA(),
                "{\"decisions\":" + decisions + ",\"impression\":\"" + CROSS_SITE + "\"}"));
        return calls;
    }

    record Forged(String method, String path, String body) {
    }

    @Test
    void everyStateChangingCallOfTheApiIsForged() {
        Set<String> stateChanging = ApplicationEndpoints.of(context, servletContext).stream()
                .filter(e -> e.matches("(POST|PUT|PATCH|DELETE) .*")).collect(Collectors.toCollection(TreeSet::new));
        assertThat(groundflowCalls().keySet()).as("forged calls of CsrfTest.groundflowCalls()")
                .containsExactlyInAnyOrderElementsOf(stateChanging);
    }

    @Test
    void theSessionCookieAloneChangesNothing() {
        Session radiologist = http.signIn(RADIOLOGIST, PASSWORD);
        Session admin = http.signIn(ADMIN, PASSWORD);
        EngineState before = state();
        assertThat(before.openUnassignedTasks()).containsExactlyInAnyOrder(reads.taskA(), reads.taskB());
        assertThat(before.readARunning()).isTrue();

        for (Forged call : groundflowCalls().values()) {
            Answer answer = http.send(call.method(), call.path(), json(radiologist.cookieOnly()), call.body());
            assertThat(answer.status()).as("%s %s with the session cookie alone: %s", call.method(), call.path(),
                    answer.body()).isEqualTo(403);
            assertThat(answer.json().path("message").asText()).contains("CSRF token").contains("X-GF-XSRF-TOKEN");
        }

        String deployment = "--gf\r\nContent-Disposition: form-data; name=\"deployment-name\"\r\n\r\ncsrf-probe\r\n"
                + "--gf\r\nContent-Disposition: form-data; name=\"data\"; filename=\"csrf-probe.bpmn\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + BPMN + "\r\n--gf--\r\n";
        List<Forged> engineCalls = List.of(
                new Forged("POST", "/engine-rest/process-definition/key/grounded-read/start", "{\"businessKey\":\"x\"}"),
                new Forged("DELETE", "/engine-rest/process-instance/" + reads.processA(), null),
                new Forged("POST", "/engine-rest/external-task/fetchAndLock", "{\"workerId\":\"csrf\",\"maxTasks\":9,"
                        + "\"topics\":[{\"topicName\":\"groundflow-interpret\",\"lockDuration\":600000}]}"),
                new Forged("POST", "/engine-rest/task/" + reads.taskA() + "/claim", "{\"userId\":\"admin1\"}"));
        for (Session session : List.of(admin, radiologist)) {
            for (Forged call : engineCalls) {
                for (Map<String, String> headers : List.of(session.cookieOnly(), session.withToken())) {
                    Answer answer = http.send(call.method(), call.path(), json(headers), call.body());
                    assertThat(answer.status()).as("%s %s with %s's session: %s", call.method(), call.path(),
                            session.user(), answer.body()).isEqualTo(401);
                }
            }
            Map<String, String> multipart = new LinkedHashMap<>(session.cookieOnly());
            multipart.put("Content-Type", "multipart/form-data; boundary=gf");
            assertThat(http.send("POST", "/engine-rest/deployment/create", multipart, deployment).status())
                    .as("deployment with %s's session", session.user()).isEqualTo(401);
        }

        String camunda = "/camunda/api/engine/engine/default";
        List<Forged> adminWebappCalls = List.of(
                new Forged("POST", camunda + "/process-definition/key/grounded-read/start", "{}"),
                new Forged("DELETE", camunda + "/process-instance/" + reads.processA(), null),
                new Forged("POST", camunda + "/process-instance/count", "{}"));
        List<Forged> radiologistWebappCalls = List.of(
                new Forged("POST", camunda + "/task/" + reads.taskA() + "/claim", "{\"userId\":\"" + RADIOLOGIST + "\"}"),
                new Forged("POST", camunda + "/task/" + reads.taskA() + "/complete", "{}"));
        adminWebappCalls.forEach(call -> webappRefuses(ADMIN, call));
        radiologistWebappCalls.forEach(call -> webappRefuses(RADIOLOGIST, call));

        Answer signOut = http.send("POST", "/logout", radiologist.cookieOnly(), (String) null);
        assertThat(signOut.status()).as("sign-out without the token").isEqualTo(403);
        assertThat(http.send("GET", "/api/me", radiologist.cookieOnly(), (String) null).status())
                .as("the session after a forged sign-out").isEqualTo(200);

        assertThat(state()).isEqualTo(before);
    }

    /**
     * Refused by Camunda's CSRF filter with the session alone, and also with Groundflow's token instead of its own;
     * the filter also ends the session, so each try signs in afresh.
     */
    private void webappRefuses(String user, Forged call) {
        for (boolean groundflowToken : List.of(false, true)) {
            Session session = http.signIn(user, PASSWORD);
            Answer answer = http.send(call.method(), call.path(),
                    json(groundflowToken ? session.withToken() : session.cookieOnly()), call.body());
            assertThat(answer.status()).as("%s %s with %s's session: %s", call.method(), call.path(), user,
                    answer.body()).isEqualTo(403);
            assertThat(answer.header("X-XSRF-TOKEN")).as("Camunda's CSRF filter refused it").hasValue("Required");
            assertThat(http.send("GET", "/api/me", session.cookieOnly(), (String) null).status())
                    .as("the session after a refused webapp call").isEqualTo(401);
        }
    }

    @Test
    void withTheTokensTheSameSessionGetsThrough() {
        Session radiologist = http.signIn(RADIOLOGIST, PASSWORD);
        Session admin = http.signIn(ADMIN, PASSWORD);

        Answer refusedStart = http.send("POST", "/api/reads", json(radiologist.withToken()), "{\"studyInstanceUid\":\"1..2\"}");
        assertThat(refusedStart.status()).as("past the CSRF check to the UID check: %s", refusedStart.body()).isEqualTo(400);
        Answer ended = http.send("DELETE", "/api/reads/" + reads.endedRead(), json(radiologist.withToken()), (String) null);
        assertThat(ended.status()).as("cancel an ended read: %s", ended.body()).isEqualTo(409);
        Answer amend = http.send("POST", "/api/reads/" + reads.endedRead() + "/amendments", json(radiologist.withToken()),
                (String) null);
        assertThat(amend.status()).as("amend a read never signed: %s", amend.body()).isEqualTo(409);
        Answer retract = http.send("POST", "/api/reads/" + reads.endedRead() + "/retraction", json(admin.withToken()),
                "{\"reason\":\"never signed\"}");
        assertThat(retract.status()).as("retract a read never signed: %s", retract.body()).isEqualTo(409);

        assertThat(admin.camundaCsrfToken()).as("Camunda's webapps hand out their token").isNotBlank();
        Answer count = http.send("POST", "/camunda/api/engine/engine/default/process-instance/count",
                json(admin.withCamundaToken()), "{}");
        assertThat(count.status()).as("webapp API with its token: %s", count.body()).isEqualTo(200);
        assertThat(count.json().path("count").asLong()).isPositive();

        Answer basic = http.send("POST", "/engine-rest/process-instance/count",
                json(Map.of("Authorization", RawHttp.basic(ADMIN, PASSWORD))), "{}");
        assertThat(basic.status()).as("engine REST API with HTTP basic: %s", basic.body()).isEqualTo(200);

        Answer signOut = http.send("POST", "/logout", radiologist.withToken(), (String) null);
        assertThat(signOut.status()).as("signed out").isIn(204, 302);
        assertThat(http.send("GET", "/api/me", radiologist.cookieOnly(), (String) null).status())
                .as("the session after signing out").isEqualTo(401);
    }

    @Test
    void sessionCookiesAreHttpOnlyAndSameSiteAndSecureBehindTls() {
        Session plain = http.signIn(RADIOLOGIST, PASSWORD);
        assertThat(plain.signIn().setCookie("JSESSIONID").orElseThrow())
                .contains("HttpOnly").containsIgnoringCase("SameSite=Lax").doesNotContain("Secure");
        assertThat(plain.me().setCookie("GF-XSRF-TOKEN").orElseThrow())
                .containsIgnoringCase("SameSite=Strict").doesNotContain("HttpOnly").doesNotContain("Secure");

        Session tls = http.signIn(RADIOLOGIST, PASSWORD, Map.of("X-Forwarded-Proto", "https"));
        assertThat(tls.signIn().setCookie("JSESSIONID").orElseThrow())
                .contains("HttpOnly").containsIgnoringCase("SameSite=Lax").contains("Secure");
        assertThat(tls.me().setCookie("GF-XSRF-TOKEN").orElseThrow()).contains("Secure");

        Answer withoutToken = http.send("POST", "/login", Map.of("Content-Type", "application/x-www-form-urlencoded",
                "Cookie", "JSESSIONID=" + plain.sessionId()), "username=" + ADMIN + "&password=" + PASSWORD);
        assertThat(withoutToken.status()).as("the sign-in form without its token").isEqualTo(403);
        Answer noCookies = http.send("POST", "/login", Map.of("Content-Type", "application/x-www-form-urlencoded"),
                "username=" + ADMIN + "&password=" + PASSWORD);
        assertThat(noCookies.status()).as("a forged sign-in from a browser without cookies").isEqualTo(403);
    }

    private static Map<String, String> json(Map<String, String> headers) {
        Map<String, String> withType = new LinkedHashMap<>(headers);
        withType.put("Content-Type", "application/json");
        return withType;
    }
}
