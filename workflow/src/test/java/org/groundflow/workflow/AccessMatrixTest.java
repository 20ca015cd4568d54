package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.ProcessEngine;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * The access matrix: every HTTP endpoint of the application × the roles anonymous, radiologist of group A
 * ({@code radiologists}, offered read A's review), radiologist of group B ({@code neuroradiologists}, offered read
 * B's), worker service account and admin, with the status each gets. The endpoints are read from the running
 * application ({@link ApplicationEndpoints}); an endpoint without its row in {@link #MATRIX} fails the test, and so
 * does a row whose endpoint is gone. Every new HTTP endpoint gets its row here.
 */
class AccessMatrixTest extends ApplicationTest {

    /** Who calls: no credentials, or HTTP basic as one of the users of {@link SecurityFixture}. */
    enum Role { ANONYMOUS, RADIOLOGIST_A, RADIOLOGIST_B, WORKER, ADMIN }

    private static final String UNLOCKABLE_FETCH = "{\"workerId\":\"matrix\",\"maxTasks\":1,\"topics\":[{\"topicName\":"
            + "\"groundflow-interpret\",\"lockDuration\":1000,\"processDefinitionKey\":\"no-such-process\"}]}";
    private static final String OTHER_TOPIC_FETCH = "{\"workerId\":\"matrix\",\"maxTasks\":1,\"topics\":[{\"topicName\":"
            + "\"someone-elses-topic\",\"lockDuration\":1000,\"processDefinitionKey\":\"no-such-process\"}]}";

    /**
     * Endpoint (as {@link ApplicationEndpoints} names it), request, then the status for each {@link Role} in order.
     * Placeholders: {readA}, {taskA}, {studyA}, {processA}, {readB}, {taskB}, {studyB}, {ended} (a cancelled read of
     * group A's radiologist). Calls that would change something carry a body that is refused after the access check.
     */
    static final List<Row> MATRIX = List.of(
            // Groundflow's API
            row("GET /api/me", "GET /api/me", 401, 200, 200, 403, 200),
            row("POST /api/reads", "POST /api/reads", "{\"studyInstanceUid\":\"not a uid\"}", 401, 400, 400, 403, 400),
            row("GET /api/reads/{readId}", "GET /api/reads/{readA}", 401, 200, 403, 403, 200),
            row("GET /api/reads/{readId}", "GET /api/reads/{readB}", 401, 403, 200, 403, 200),
            row("GET /api/reads/{readId}", "GET /api/reads/{ended}", 401, 200, 403, 403, 200),
            row("DELETE /api/reads/{readId}", "DELETE /api/reads/{ended}", 401, 409, 403, 403, 409),
            // read A awaits its review: a radiologist who may see it gets past the access check to 409 (not signed);
            // admins retract but do not amend, and a blank reason is refused after the access check
            row("POST /api/reads/{readId}/amendments", "POST /api/reads/{readA}/amendments", 401, 409, 403, 403, 403),
            row("POST /api/reads/{readId}/retraction", "POST /api/reads/{readA}/retraction", "{\"reason\":\" \"}",
                    401, 403, 403, 403, 400),
            row("GET /api/reads/{readId}/volume", "GET /api/reads/{readA}/volume", 401, 200, 403, 403, 200),
            row("GET /api/reads/{readId}/volume", "GET /api/reads/{readB}/volume", 401, 403, 200, 403, 200),
            row("GET /api/reads/{readId}/slices/{z}.png", "GET /api/reads/{readA}/slices/0.png", 401, 200, 403, 403, 200),
            row("GET /api/reads/{readId}/overlays/{z}.png", "GET /api/reads/{readA}/overlays/0.png", 401, 200, 403, 403, 200),
            row("GET /api/reviews", "GET /api/reviews", 401, 200, 200, 403, 200),
            row("POST /api/reviews/{taskId}", "POST /api/reviews/{taskA}",
                    "{\"decisions\":[{\"finding\":1,\"decision\":\"maybe\"}]}", 401, 400, 403, 403, 403),
            row("POST /api/reviews/{taskId}", "POST /api/reviews/{taskB}",
                    "{\"decisions\":[{\"finding\":1,\"decision\":\"maybe\"}]}", 401, 403, 400, 403, 403),
            row("GET /api/studies/{studyInstanceUid}/audit", "GET /api/studies/{studyA}/audit", 401, 200, 403, 403, 200),
            row("GET /api/studies/{studyInstanceUid}/audit", "GET /api/studies/{studyB}/audit", 401, 403, 200, 403, 200),
            row("GET /api/monitoring", "GET /api/monitoring", 401, 403, 403, 403, 200),
            // Spring MVC's error page, the review UI's and the AI monitoring's pages and static files
            row("* /error", "GET /error", 500, 500, 500, 500, 500),
            row("* /review", "GET /review", 401, 302, 302, 403, 302),
            row("* /review/", "GET /review/", 401, 200, 200, 403, 200),
            row("* /**", "GET /review/task.js", 401, 200, 200, 403, 200),
            row("* /monitoring", "GET /monitoring", 401, 403, 403, 403, 302),
            row("* /monitoring/", "GET /monitoring/", 401, 403, 403, 403, 200),
            row("* /**", "GET /monitoring/monitoring.js", 401, 403, 403, 403, 200),
            row("* /webjars/**", "GET /webjars/uplot/1.6.30/dist/uPlot.iife.min.js", 401, 200, 200, 403, 200),
            row("* /webjars/**", "GET /webjars/none.js", 401, 404, 404, 403, 404),
            // actuator
            row("GET /actuator", "GET /actuator", 401, 403, 403, 403, 200),
            row("GET /actuator/health", "GET /actuator/health", 200, 200, 200, 200, 200),
            row("GET /actuator/health/**", "GET /actuator/health/pacs", 404, 200, 200, 200, 200),
            row("GET /actuator/info", "GET /actuator/info", 401, 403, 403, 403, 200),
            row("GET /actuator/prometheus", "GET /actuator/prometheus", 401, 403, 403, 403, 200),
            // the engine's REST API
            row("servlet /engine-rest/*", "GET /engine-rest/", 401, 403, 403, 403, 404),
            row("rest /engine-rest/engine", "GET /engine-rest/engine", 401, 403, 403, 403, 200),
            row("rest /engine-rest/process-definition", "GET /engine-rest/process-definition", 401, 403, 403, 403, 200),
            row("rest /engine-rest/process-instance", "GET /engine-rest/process-instance", 401, 403, 403, 403, 200),
            row("rest /engine-rest/execution", "GET /engine-rest/execution", 401, 403, 403, 403, 200),
            row("rest /engine-rest/task", "GET /engine-rest/task", 401, 403, 403, 403, 200),
            row("rest /engine-rest/identity", "GET /engine-rest/identity", 401, 403, 403, 403, 404),
            row("rest /engine-rest/message", "GET /engine-rest/message", 401, 403, 403, 403, 405),
            row("rest /engine-rest/variable-instance", "GET /engine-rest/variable-instance", 401, 403, 403, 403, 200),
            row("rest /engine-rest/job-definition", "GET /engine-rest/job-definition", 401, 403, 403, 403, 200),
            row("rest /engine-rest/job", "GET /engine-rest/job", 401, 403, 403, 403, 200),
            row("rest /engine-rest/group", "GET /engine-rest/group", 401, 403, 403, 403, 200),
            row("rest /engine-rest/user", "GET /engine-rest/user", 401, 403, 403, 403, 200),
            row("rest /engine-rest/authorization", "GET /engine-rest/authorization", 401, 403, 403, 403, 200),
            row("rest /engine-rest/incident", "GET /engine-rest/incident", 401, 403, 403, 403, 200),
            row("rest /engine-rest/history", "GET /engine-rest/history", 401, 403, 403, 403, 404),
            row("rest /engine-rest/deployment", "GET /engine-rest/deployment", 401, 403, 403, 403, 200),
            row("rest /engine-rest/case-definition", "GET /engine-rest/case-definition", 401, 403, 403, 403, 200),
            row("rest /engine-rest/case-instance", "GET /engine-rest/case-instance", 401, 403, 403, 403, 200),
            row("rest /engine-rest/case-execution", "GET /engine-rest/case-execution", 401, 403, 403, 403, 200),
            row("rest /engine-rest/filter", "GET /engine-rest/filter", 401, 403, 403, 403, 200),
            row("rest /engine-rest/metrics", "GET /engine-rest/metrics", 401, 403, 403, 403, 200),
            row("rest /engine-rest/decision-definition", "GET /engine-rest/decision-definition", 401, 403, 403, 403, 200),
            row("rest /engine-rest/decision-requirements-definition", "GET /engine-rest/decision-requirements-definition", 401, 403, 403, 403, 200),
            row("rest /engine-rest/external-task", "GET /engine-rest/external-task", 401, 403, 403, 403, 200),
            row("rest /engine-rest/migration", "GET /engine-rest/migration", 401, 403, 403, 403, 404),
            row("rest /engine-rest/modification", "GET /engine-rest/modification", 401, 403, 403, 403, 404),
            row("rest /engine-rest/batch", "GET /engine-rest/batch", 401, 403, 403, 403, 200),
            row("rest /engine-rest/tenant", "GET /engine-rest/tenant", 401, 403, 403, 403, 200),
            row("rest /engine-rest/signal", "GET /engine-rest/signal", 401, 403, 403, 403, 405),
            row("rest /engine-rest/condition", "GET /engine-rest/condition", 401, 403, 403, 403, 405),
            row("rest /engine-rest/optimize", "GET /engine-rest/optimize", 401, 403, 403, 403, 404),
            row("rest /engine-rest/version", "GET /engine-rest/version", 401, 403, 403, 403, 200),
            row("rest /engine-rest/schema/log", "GET /engine-rest/schema/log", 401, 403, 403, 403, 200),
            row("rest /engine-rest/event-subscription", "GET /engine-rest/event-subscription", 401, 403, 403, 403, 200),
            row("rest /engine-rest/telemetry", "GET /engine-rest/telemetry", 401, 403, 403, 403, 404),
            row("rest /engine-rest/external-task", "POST /engine-rest/external-task/fetchAndLock", UNLOCKABLE_FETCH,
                    401, 403, 403, 200, 200),
            row("rest /engine-rest/external-task", "POST /engine-rest/external-task/fetchAndLock", OTHER_TOPIC_FETCH,
                    401, 403, 403, 403, 200),
            row("rest /engine-rest/external-task", "POST /engine-rest/external-task/no-such-task/complete",
                    "{\"workerId\":\"matrix\"}", 401, 403, 403, 404, 404),
            // Camunda's webapps
            row("servlet /", "GET /", 401, 302, 302, 403, 302),
            row("* /camunda/app/**", "GET /camunda/app/welcome/default/", 401, 200, 200, 403, 200),
            row("* /camunda/app/**", "GET /camunda/app/cockpit/default/", 401, 403, 403, 403, 200),
            row("* /camunda/app/**", "GET /camunda/app/tasklist/default/", 401, 200, 403, 403, 200),
            row("* /camunda/app/**", "GET /camunda/app/admin/default/", 401, 403, 403, 403, 200),
            row("* /camunda/api/**", "GET /camunda/api/none", 401, 404, 404, 403, 404),
            row("* /camunda/lib/**", "GET /camunda/lib/deps.js", 401, 200, 200, 403, 200),
            row("* /camunda/assets/**", "GET /camunda/assets/admin.svg", 401, 200, 200, 403, 200),
            row("* /camunda/favicon.ico", "GET /camunda/favicon.ico", 401, 200, 200, 403, 200),
            row("servlet /camunda/api/admin/*", "GET /camunda/api/admin/auth/user/default", 401, 404, 404, 403, 404),
            row("servlet /camunda/api/cockpit/*", "GET /camunda/api/cockpit/plugin/base/default/incident/count",
                    401, 200, 200, 403, 200),
            row("servlet /camunda/api/engine/*", "GET /camunda/api/engine/engine/default/process-instance/count",
                    401, 200, 200, 403, 200),
            row("servlet /camunda/api/engine/*", "GET /camunda/api/engine/engine/default/task/{taskA}",
                    401, 200, 404, 403, 200),
            row("servlet /camunda/api/tasklist/*", "GET /camunda/api/tasklist/plugin/none", 401, 404, 404, 403, 404),
            row("servlet /camunda/api/welcome/*", "GET /camunda/api/welcome/plugin/none", 401, 404, 404, 403, 404));

    @Autowired
    ApplicationContext context;
    @Autowired
    ServletContext servletContext;
    @Autowired
    DicomWebClient pacs;
    @Autowired
    ProcessEngine engine;
    @LocalServerPort
    int port;

    private SecurityFixture.Reads reads;

    @BeforeEach
    void fixture() {
        reads = SecurityFixture.reads(this, pacs, engine);
    }

    @Test
    void everyEndpointOfTheApplicationHasItsRowAndEveryRowItsEndpoint() {
        Set<String> endpoints = new TreeSet<>();
        for (String endpoint : ApplicationEndpoints.of(context, servletContext)) {
            endpoints.add(endpoint.replace("rest /engine-rest" + ApplicationEndpoints.NAMED_ENGINE + "/", "rest /engine-rest/"));
        }
        Set<String> rows = MATRIX.stream().map(Row::endpoint).collect(Collectors.toCollection(TreeSet::new));
        Set<String> missing = new TreeSet<>(endpoints);
        missing.removeAll(rows);
        Set<String> gone = new TreeSet<>(rows);
        gone.removeAll(endpoints);
        assertThat(missing).as("endpoints without a row in AccessMatrixTest.MATRIX").isEmpty();
        assertThat(gone).as("rows of AccessMatrixTest.MATRIX whose endpoint the application no longer has").isEmpty();
    }

    @Test
    void everyRoleGetsTheStatusOfItsRow() {
        RawHttp http = new RawHttp(port);
        List<String> wrong = new ArrayList<>();
        List<String> actualTable = new ArrayList<>();
        for (Row row : probesWithNamedEngine()) {
            String path = fill(row.path());
            int[] actual = new int[Role.values().length];
            for (Role role : Role.values()) {
                Map<String, String> headers = new LinkedHashMap<>(credentials(role));
                if (row.body() != null) {
                    headers.put("Content-Type", "application/json");
                }
                RawHttp.Answer answer = http.send(row.method(), path, headers, row.body());
                actual[role.ordinal()] = answer.status();
                if (answer.status() != row.statuses()[role.ordinal()]) {
                    wrong.add(role + " " + row.method() + " " + path + ": " + answer.status() + " (row: "
                            + row.statuses()[role.ordinal()] + ") " + abbreviate(answer.body()));
                }
            }
            actualTable.add(row.endpoint() + " | " + row.method() + " " + row.path() + " | "
                    + java.util.Arrays.stream(actual).mapToObj(Integer::toString).collect(Collectors.joining(", ")));
        }
        assertThat(wrong).as("statuses that differ from the matrix; the statuses seen:\n%s",
                String.join("\n", actualTable)).isEmpty();
    }

    /** The rows, plus each engine REST row again on the default engine's named path. */
    private static List<Row> probesWithNamedEngine() {
        List<Row> probes = new ArrayList<>(MATRIX);
        for (Row row : MATRIX) {
            if (row.endpoint().startsWith("rest /engine-rest/") && !row.endpoint().equals("rest /engine-rest/engine")) {
                probes.add(new Row(row.endpoint(), row.method(),
                        row.path().replace("/engine-rest/", "/engine-rest/engine/default/"), row.body(), row.statuses()));
            }
        }
        return probes;
    }

    private Map<String, String> credentials(Role role) {
        String user = switch (role) {
            case ANONYMOUS -> null;
            case RADIOLOGIST_A -> RADIOLOGIST;
            case RADIOLOGIST_B -> OTHER_RADIOLOGIST;
            case WORKER -> SecurityFixture.WORKER;
            case ADMIN -> ADMIN;
        };
        return user == null ? Map.of() : Map.of("Authorization", RawHttp.basic(user, PASSWORD));
    }

    private String fill(String path) {
        return path.replace("{readA}", reads.readA()).replace("{taskA}", reads.taskA())
                .replace("{studyA}", reads.studyA()).replace("{processA}", reads.processA())
                .replace("{readB}", reads.readB()).replace("{taskB}", reads.taskB())
                .replace("{studyB}", reads.studyB()).replace("{ended}", reads.endedRead());
    }

    private static String abbreviate(String body) {
        String flat = body == null ? "" : body.replaceAll("\\s+", " ");
        return flat.length() > 160 ? flat.substring(0, 160) + "…" : flat;
    }

    record Row(String endpoint, String method, String path, String body, int[] statuses) {
    }

    private static Row row(String endpoint, String request, int... statuses) {
        return row(endpoint, request, null, statuses);
    }

    private static Row row(String endpoint, String request, String body, int... statuses) {
        if (statuses.length != Role.values().length) {
            throw new IllegalArgumentException("row " + endpoint + " needs " + Role.values().length + " statuses, has "
                    + statuses.length);
        }
        String[] parts = request.split(" ", 2);
        return new Row(endpoint, parts[0], parts[1], body, statuses);
    }
}
