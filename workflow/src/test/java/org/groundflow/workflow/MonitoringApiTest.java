package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.workflow.monitoring.MonitoringSeed;
import org.groundflow.workflow.monitoring.ReadInputs;
import org.groundflow.workflow.monitoring.SignOffOutcomes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The AI monitoring in the running application: seeded sign-offs ({@link MonitoringSeed}, tag {@value #TAG}) show
 * their figures in {@code GET /api/monitoring} and in the Prometheus scrape; a range leaves out what lies outside it;
 * a read signed in the review records its model, decisions, time to sign and series.
 */
class MonitoringApiTest extends ApplicationTest {

    static final String TAG = "api";
    static final Instant WEEK = Instant.parse("2022-03-01T00:00:00Z");

    @Autowired
    SignOffOutcomes outcomes;
    @Autowired
    ReadInputs inputs;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DicomWebClient pacs;

    @BeforeEach
    void seeded() {
        seedOnce(jdbc, outcomes, inputs, TAG, WEEK);
    }

    static void seedOnce(JdbcTemplate jdbc, SignOffOutcomes outcomes, ReadInputs inputs, String tag, Instant week) {
        if (jdbc.queryForObject("SELECT COUNT(*) FROM GF_AI_SIGNOFF WHERE MODEL_NAME = ?", Integer.class,
                MonitoringSeed.model(tag)) == 0) {
            MonitoringSeed.seed(outcomes, inputs, tag, week);
        }
    }

    @Test
    void theJsonShowsTheSeededRatesOfTheWeekAndLeavesOutTheSignOffBeforeIt() {
        ResponseEntity<JsonNode> answer = as(ADMIN).getForEntity("/api/monitoring?from=2022-03-01&to=2022-03-07",
                JsonNode.class);

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
        JsonNode report = answer.getBody();
        assertThat(report.path("from").asText()).isEqualTo("2022-03-01T00:00:00Z");
        assertThat(report.path("to").asText()).isEqualTo("2022-03-08T00:00:00Z");
        assertThat(report.path("bucketStarts")).hasSize(7);
        List<JsonNode> models = StreamSupport.stream(report.path("models").spliterator(), false).toList();
        assertThat(models).extracting(m -> m.path("modelName").asText() + " " + m.path("modelVersion").asText())
                .containsExactly("seed-api 1.0", "seed-api 2.0");
        JsonNode first = models.get(0);
        assertThat(first.path("studies").asInt()).isEqualTo(3);
        assertThat(first.path("medianTimeToSign").asDouble()).isEqualTo(1200.0);
        assertThat(first.path("decisions").path("acceptRate").asDouble()).isEqualTo(0.6);
        JsonNode nodule = first.path("labels").get(1);
        assertThat(nodule.path("label").asText()).isEqualTo("nodule");
        assertThat(nodule.path("decisions").path("rejectRate").asDouble()).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(nodule.path("findingsPerStudy").asDouble()).isEqualTo(1.0);
        JsonNode second = models.get(1);
        assertThat(second.path("studies").asInt()).as("the sign-off ten days before the week is left out").isEqualTo(1);
        assertThat(second.path("decisions").path("accepted").asInt()).isEqualTo(1);
        assertThat(second.path("labels").get(0).path("decisions").path("rejectRate").asDouble()).isEqualTo(0.5);
        assertThat(second.path("timeline").get(3).path("medianTimeToSign").asDouble()).isEqualTo(60.0);
        JsonNode inputsOfWeek = report.path("inputs");
        assertThat(inputsOfWeek.path("series").asInt()).isEqualTo(4);
        assertThat(inputsOfWeek.path("scanners").get(0).path("name").asText()).isEqualTo("GE LightSpeed-api");
        assertThat(inputsOfWeek.path("sliceThickness").path("median").asDouble()).isEqualTo(2.125);

        JsonNode before = as(ADMIN).getForObject("/api/monitoring?from=2022-02-01T00:00:00Z&to=2022-03-01T00:00:00Z",
                JsonNode.class);
        assertThat(before.path("models")).singleElement().satisfies(m -> {
            assertThat(m.path("modelVersion").asText()).isEqualTo("2.0");
            assertThat(m.path("studies").asInt()).isEqualTo(1);
            assertThat(m.path("medianTimeToSign").asDouble()).isEqualTo(300.0);
        });
    }

    @Test
    void thePrometheusScrapeShowsTheSeededFiguresOfAllSignOffs() {
        ResponseEntity<String> scrape = as(ADMIN).getForEntity("/actuator/prometheus", String.class);
        assertThat(scrape.getStatusCode()).isEqualTo(HttpStatus.OK);
        String text = scrape.getBody();

        Map<String, String> v2 = Map.of("model_name", "seed-api", "model_version", "2.0");
        assertThat(value(text, "groundflow_ai_time_to_sign_seconds_count", v2)).isEqualTo(2.0);
        assertThat(value(text, "groundflow_ai_time_to_sign_seconds_sum", v2)).isEqualTo(360.0);
        assertThat(value(text, "groundflow_ai_findings_total", Map.of("model_name", "seed-api", "model_version", "2.0",
                "label", "nodule", "decision", "accept"))).isEqualTo(2.0);
        assertThat(value(text, "groundflow_ai_decision_ratio", Map.of("model_name", "seed-api", "model_version", "2.0",
                "label", "nodule", "decision", "reject"))).isEqualTo(0.4);
        assertThat(value(text, "groundflow_ai_decision_ratio", Map.of("model_name", "seed-api", "model_version", "1.0",
                "label", "nodule", "decision", "accept"))).isCloseTo(2 / 3.0, within(1e-9));
        assertThat(value(text, "groundflow_ai_findings_per_study", Map.of("model_name", "seed-api", "model_version",
                "1.0", "label", "cyst"))).isCloseTo(2 / 3.0, within(1e-9));
        Map<String, String> ge = Map.of("manufacturer", "GE", "scanner_model", "LightSpeed-api", "body_part", "CHEST");
        assertThat(value(text, "groundflow_ai_inputs_total", ge)).isEqualTo(2.0);
        assertThat(value(text, "groundflow_ai_input_pixel_spacing_millimeters_sum", ge)).isCloseTo(1.5, within(1e-9));
        assertThat(value(text, "groundflow_ai_input_slice_thickness_millimeters_count", ge)).isEqualTo(2.0);
        assertThat(text).contains("# HELP groundflow_ai_decision_ratio ");
    }

    @Test
    void aBadRangeIsRefusedNamingTheParameterAndItsValue() {
        ResponseEntity<JsonNode> bad = as(ADMIN).getForEntity("/api/monitoring?from=last-week", JsonNode.class);

        assertThat(bad.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(bad.getBody().path("message").asText()).contains("from must be an instant").contains("last-week");
        assertThat(as(ADMIN).getForEntity("/api/monitoring?from=2022-03-02&to=2022-03-01", JsonNode.class)
                .getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    }

    @Test
    void aReadSignedInTheReviewRecordsItsModelDecisionsTimeToSignAndSeries() {
        ReviewUiFixture.Read read = ReviewUiFixture.awaitingReview(this, pacs, "monitoring-api");
        JsonNode task = ReviewUiFixture.task(this, read.readId());
        int findings = task.path("findings").size();
        assertThat(findings).isPositive();
        List<Map<String, Object>> decisions = new ArrayList<>();
        for (int n = 1; n <= findings; n++) {
            decisions.add(Map.of("finding", n, "decision", n == 1 ? "reject" : "accept"));
        }
        ResponseEntity<JsonNode> signed = as(RADIOLOGIST).postForEntity("/api/reviews/" + task.path("taskId").asText(),
                Map.of("decisions", decisions, "impression", "Signed for the monitoring."), JsonNode.class);
        assertThat(signed.getStatusCode()).as("sign: %s", signed.getBody()).isEqualTo(HttpStatus.OK);

        Map<String, Object> signOff = jdbc.queryForMap("SELECT MODEL_NAME, MODEL_VERSION, SIGN_MILLIS, FINDINGS,"
                + " TASK_CREATED_AT, SIGNED_AT FROM GF_AI_SIGNOFF WHERE READ_ID = ?", read.readId());
        assertThat((String) signOff.get("MODEL_NAME")).isNotBlank();
        assertThat((String) signOff.get("MODEL_VERSION")).isNotBlank();
        assertThat(((Number) signOff.get("FINDINGS")).intValue()).isEqualTo(findings);
        long created = Instant.parse(task.path("created").asText()).toEpochMilli();
        long signedAt = jdbc.queryForObject("SELECT SIGNED_AT FROM GF_SIGNOFF WHERE READ_ID = ?",
                java.time.OffsetDateTime.class, read.readId()).toInstant().toEpochMilli();
        assertThat(((Number) signOff.get("SIGN_MILLIS")).longValue()).as("task created → signed")
                .isEqualTo(signedAt - created);
        assertThat(jdbc.queryForList("SELECT DECISION FROM GF_AI_FINDING WHERE READ_ID = ? ORDER BY FINDING",
                String.class, read.readId())).first().isEqualTo("reject");

        Map<String, Object> input = jdbc.queryForMap("SELECT SERIES_UID, MANUFACTURER, SCANNER_MODEL, BODY_PART,"
                + " PIXEL_SPACING, SLICE_THICKNESS FROM GF_READ_INPUT WHERE READ_ID = ?", read.readId());
        assertThat(input).containsEntry("MANUFACTURER", "Groundflow").containsEntry("SCANNER_MODEL",
                "Synthetic chest phantom").containsEntry("BODY_PART", "CHEST");
        assertThat(((Number) input.get("PIXEL_SPACING")).doubleValue()).isEqualTo(1.5);
        assertThat(((Number) input.get("SLICE_THICKNESS")).doubleValue()).isEqualTo(2.5);
    }

    /** The value of the sample of {@code metric} whose labels include {@code labels}, in Prometheus' text format. */
    static double value(String scrape, String metric, Map<String, String> labels) {
        List<String> samples = scrape.lines().filter(l -> l.startsWith(metric + "{"))
                .filter(l -> labels.entrySet().stream().allMatch(e -> l.contains(e.getKey() + "=\"" + e.getValue() + "\"")))
                .toList();
        assertThat(samples).as("samples of %s with %s", metric, labels).hasSize(1);
        String sample = samples.get(0);
        return Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
    }
}
