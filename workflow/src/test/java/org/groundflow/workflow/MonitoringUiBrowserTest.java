package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.groundflow.workflow.monitoring.MonitoringSeed;
import org.groundflow.workflow.monitoring.ReadInputs;
import org.groundflow.workflow.monitoring.SignOffOutcomes;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An admin opens the AI monitoring page in headless Chromium (as {@link ReviewUiBrowserTest} runs it) for the week of
 * seeded sign-offs ({@link MonitoringSeed}, tag {@value #TAG}): the page's tables show the seeded rates, times to sign,
 * findings per study and inputs, and every chart holds the same figures and drew its lines.
 */
class MonitoringUiBrowserTest extends ApplicationTest {

    static final String TAG = "ui";
    static final Instant WEEK = Instant.parse("2023-03-01T00:00:00Z");
    static final Path SCRIPT = ReviewUiBrowserTest.BROWSER_DIR.resolve("monitoring.test.mjs");
    static final Path ARTIFACTS = Path.of("target", "monitoring-ui");

    @LocalServerPort
    int port;
    @Autowired
    SignOffOutcomes outcomes;
    @Autowired
    ReadInputs inputs;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theMonitoringPageShowsTheSeededRatesAndDrawsThemOverTime() throws Exception {
        Path node = ReviewUiBrowserTest.requireBrowserTools();
        MonitoringApiTest.seedOnce(jdbc, outcomes, inputs, TAG, WEEK);

        JsonNode result = runBrowser(node);

        List<JsonNode> rows = StreamSupport.stream(result.path("rows").spliterator(), false).toList();
        assertThat(rows).extracting(r -> r.path("model").asText() + " " + r.path("version").asText() + " "
                + r.path("label").asText()).containsExactly("seed-ui 1.0 *", "seed-ui 1.0 cyst", "seed-ui 1.0 nodule",
                "seed-ui 2.0 *", "seed-ui 2.0 nodule");
        JsonNode v1 = rows.get(0);
        assertThat(number(v1, "studies")).isEqualTo(3);
        assertThat(number(v1, "acceptRate")).isEqualTo(0.6);
        assertThat(v1.path("text").path("acceptRate").asText()).isEqualTo("60.0 % (3)");
        assertThat(number(v1, "medianTimeToSign")).isEqualTo(1200.0);
        assertThat(v1.path("text").path("medianTimeToSign").asText()).isEqualTo("20 min 0 s");
        assertThat(number(rows.get(1), "editRate")).isEqualTo(0.5);
        assertThat(number(rows.get(2), "rejectRate")).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(rows.get(2).path("text").path("rejectRate").asText()).isEqualTo("33.3 % (1)");
        assertThat(number(rows.get(2), "findingsPerStudy")).isEqualTo(1.0);
        assertThat(number(rows.get(3), "studies")).as("the sign-off before the week is left out").isEqualTo(1);
        assertThat(number(rows.get(4), "rejectRate")).isEqualTo(0.5);
        assertThat(number(rows.get(4), "findingsPerStudy")).isEqualTo(4.0);
        assertThat(result.path("inputs").path("series").asText()).isEqualTo("4");
        assertThat(result.path("inputs").path("sliceThickness").asDouble()).isEqualTo(2.125);
        assertThat(result.path("scanners").get(0).get(0).asText()).isEqualTo("GE LightSpeed-ui");

        JsonNode charts = result.path("charts");
        assertThat(charts.size()).isEqualTo(8);
        for (Map.Entry<String, JsonNode> chart : (Iterable<Map.Entry<String, JsonNode>>) charts::fields) {
            assertThat(chart.getValue().path("canvas").asBoolean()).as("canvas of %s", chart.getKey()).isTrue();
            assertThat(chart.getValue().path("lines").asInt()).as("lines of %s", chart.getKey()).isPositive();
            assertThat(chart.getValue().path("lineColoured").asInt()).as("pixels of the first line of %s", chart.getKey())
                    .isGreaterThan(20);
        }
        JsonNode accept = charts.path("chart-accept");
        assertThat(accept.path("labels").get(0).asText()).isEqualTo("seed-ui 1.0");
        assertThat(accept.path("data").get(0).get(1).asDouble()).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(accept.path("data").get(0).get(2).asDouble()).isEqualTo(1.0);
        assertThat(accept.path("data").get(0).get(0).isNull()).as("no sign-off on the week's first day").isTrue();
        assertThat(charts.path("chart-time").path("data").get(1).get(3).asDouble()).as("minutes").isEqualTo(1.0);
    }

    private static double number(JsonNode row, String field) {
        return Double.parseDouble(row.path("values").path(field).asText());
    }

    /** Runs the Playwright script; its last line is a JSON result, its output is kept under target/monitoring-ui. */
    private JsonNode runBrowser(Path node) throws Exception {
        Files.createDirectories(ARTIFACTS);
        Path log = ARTIFACTS.resolve("browser.log");
        ProcessBuilder browser = new ProcessBuilder(node.toString(), SCRIPT.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        browser.environment().putAll(Map.of("BASE_URL", "http://127.0.0.1:" + port, "USER", ADMIN, "PASSWORD", PASSWORD,
                "FROM", "2023-03-01", "TO", "2023-03-07", "CHROMIUM", ReviewUiBrowserTest.CHROMIUM,
                "SCREENSHOT", ARTIFACTS.resolve("monitoring.png").toAbsolutePath().toString()));
        Process process = browser.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("the browser test did not finish in 90 s; its output:\n" + Files.readString(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        List<String> lines = output.lines().filter(l -> l.startsWith("{")).toList();
        assertThat(lines).as("browser test output:\n%s", output).isNotEmpty();
        JsonNode result = ReviewUiBrowserTest.readJson(lines.get(lines.size() - 1));
        assertThat(result.path("ok").asBoolean()).as("browser test result: %s", result).isTrue();
        assertThat(process.exitValue()).as("browser test exit code; output:\n%s", output).isZero();
        return result;
    }
}
