package org.groundflow.workflow.monitoring;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The AI monitoring as Prometheus metrics on {@code /actuator/prometheus} (README, "AI monitoring"): computed from the
 * database at each scrape, so every sign-off and retrieval ever recorded counts, on any node and after a restart.
 * A scrape costs three grouped queries over the monitoring tables (no JSON, no pixel data); their rows grow with the
 * model versions, labels, scanners and body parts seen, not with the reads. Counters rise with each sign-off or
 * retrieval; ratios and findings per study are over all sign-offs, and PromQL over the counters gives any window.
 */
@Component
public class MonitoringMetrics implements MultiCollector {

    private static final Logger log = LoggerFactory.getLogger(MonitoringMetrics.class);
    private static final String[] MODEL = {"model_name", "model_version"};

    private final JdbcTemplate jdbc;
    private final ObjectProvider<PrometheusRegistry> prometheus;

    public MonitoringMetrics(JdbcTemplate jdbc, ObjectProvider<PrometheusRegistry> prometheus) {
        this.jdbc = jdbc;
        this.prometheus = prometheus;
    }

    @EventListener(ApplicationStartedEvent.class)
    public void register() {
        prometheus.ifAvailable(registry -> registry.register(this));
    }

    @Override
    public MetricSnapshots collect() {
        try {
            MetricSnapshots.Builder snapshots = MetricSnapshots.builder();
            Map<List<String>, Long> studies = signOffs(snapshots);
            findings(snapshots, studies);
            inputs(snapshots);
            return snapshots.build();
        } catch (RuntimeException e) {
            log.warn("AI monitoring metrics left out of this scrape: {}", e.toString());
            return MetricSnapshots.of();
        }
    }

    /** Time to sign per model version; returns the studies signed per model version. */
    private Map<List<String>, Long> signOffs(MetricSnapshots.Builder snapshots) {
        Map<List<String>, Long> studies = new HashMap<>();
        SummarySnapshot.Builder timeToSign = SummarySnapshot.builder().name("groundflow_ai_time_to_sign_seconds")
                .help("time from a review task's creation to its sign-off (first sign-offs), per model version");
        jdbc.query("SELECT MODEL_NAME, MODEL_VERSION, COUNT(*) AS STUDIES, SUM(SIGN_MILLIS) AS MILLIS FROM GF_AI_SIGNOFF"
                + " GROUP BY MODEL_NAME, MODEL_VERSION", rs -> {
                    List<String> model = List.of(rs.getString("MODEL_NAME"), rs.getString("MODEL_VERSION"));
                    long count = rs.getLong("STUDIES");
                    studies.put(model, count);
                    timeToSign.dataPoint(SummaryDataPointSnapshot.builder().count(count)
                            .sum(rs.getLong("MILLIS") / 1000.0).labels(Labels.of(MODEL, model.toArray(String[]::new)))
                            .build());
                });
        snapshots.metricSnapshot(timeToSign.build());
        return studies;
    }

    private void findings(MetricSnapshots.Builder snapshots, Map<List<String>, Long> studies) {
        Map<List<String>, Map<String, Long>> byLabel = new HashMap<>();
        jdbc.query("SELECT s.MODEL_NAME, s.MODEL_VERSION, f.LABEL, f.DECISION, COUNT(*) AS FINDINGS FROM GF_AI_FINDING f"
                + " JOIN GF_AI_SIGNOFF s ON s.READ_ID = f.READ_ID GROUP BY s.MODEL_NAME, s.MODEL_VERSION, f.LABEL,"
                + " f.DECISION", rs -> {
                    byLabel.computeIfAbsent(List.of(rs.getString("MODEL_NAME"), rs.getString("MODEL_VERSION"),
                            rs.getString("LABEL")), k -> new HashMap<>()).put(rs.getString("DECISION"), rs.getLong("FINDINGS"));
                });
        String[] names = {"model_name", "model_version", "label"};
        String[] withDecision = {"model_name", "model_version", "label", "decision"};
        CounterSnapshot.Builder counts = CounterSnapshot.builder().name("groundflow_ai_findings")
                .help("draft findings signed off, per model version, label and decision (accept, edit, reject)");
        GaugeSnapshot.Builder ratios = GaugeSnapshot.builder().name("groundflow_ai_decision_ratio")
                .help("share of a model version's draft findings of a label signed with this decision, all sign-offs");
        GaugeSnapshot.Builder perStudy = GaugeSnapshot.builder().name("groundflow_ai_findings_per_study")
                .help("draft findings of a label per study the model version drafted, all sign-offs");
        byLabel.forEach((key, decisions) -> {
            long all = decisions.values().stream().mapToLong(Long::longValue).sum();
            for (String decision : List.of(SignOffOutcomes.ACCEPT, SignOffOutcomes.EDIT, SignOffOutcomes.REJECT)) {
                long count = decisions.getOrDefault(decision, 0L);
                Labels labels = Labels.of(withDecision, new String[] {key.get(0), key.get(1), key.get(2), decision});
                counts.dataPoint(CounterDataPointSnapshot.builder().value(count).labels(labels).build());
                ratios.dataPoint(GaugeDataPointSnapshot.builder().value((double) count / all).labels(labels).build());
            }
            long models = studies.getOrDefault(key.subList(0, 2), 0L);
            perStudy.dataPoint(GaugeDataPointSnapshot.builder().value(models == 0 ? 0 : (double) all / models)
                    .labels(Labels.of(names, key.toArray(String[]::new))).build());
        });
        snapshots.metricSnapshot(counts.build()).metricSnapshot(ratios.build()).metricSnapshot(perStudy.build());
    }

    private void inputs(MetricSnapshots.Builder snapshots) {
        String[] names = {"manufacturer", "scanner_model", "body_part"};
        CounterSnapshot.Builder series = CounterSnapshot.builder().name("groundflow_ai_inputs")
                .help("series retrieved for the model to read, per scanner and body part");
        SummarySnapshot.Builder spacing = SummarySnapshot.builder().name("groundflow_ai_input_pixel_spacing_millimeters")
                .help("pixel spacing of the series retrieved for the model (series that state it), per scanner and body part");
        SummarySnapshot.Builder thickness = SummarySnapshot.builder()
                .name("groundflow_ai_input_slice_thickness_millimeters")
                .help("slice thickness of the series retrieved for the model (series that state it), per scanner and body part");
        // an absent value and a stated "unknown" are one label value: their groups are added up
        Map<List<String>, double[]> groups = new HashMap<>();
        jdbc.query("SELECT MANUFACTURER, SCANNER_MODEL, BODY_PART, COUNT(*) AS SERIES, COUNT(PIXEL_SPACING) AS SPACED,"
                + " SUM(PIXEL_SPACING) AS SPACING, COUNT(SLICE_THICKNESS) AS THICK, SUM(SLICE_THICKNESS) AS THICKNESS"
                + " FROM GF_READ_INPUT GROUP BY MANUFACTURER, SCANNER_MODEL, BODY_PART", rs -> {
                    double[] sums = groups.computeIfAbsent(List.of(known(rs.getString("MANUFACTURER")),
                            known(rs.getString("SCANNER_MODEL")), known(rs.getString("BODY_PART"))), k -> new double[5]);
                    sums[0] += rs.getLong("SERIES");
                    sums[1] += rs.getLong("SPACED");
                    sums[2] += rs.getDouble("SPACING");
                    sums[3] += rs.getLong("THICK");
                    sums[4] += rs.getDouble("THICKNESS");
                });
        groups.forEach((key, sums) -> {
            Labels labels = Labels.of(names, key.toArray(String[]::new));
            series.dataPoint(CounterDataPointSnapshot.builder().value(sums[0]).labels(labels).build());
            spacing.dataPoint(SummaryDataPointSnapshot.builder().count((long) sums[1]).sum(sums[2]).labels(labels).build());
            thickness.dataPoint(SummaryDataPointSnapshot.builder().count((long) sums[3]).sum(sums[4]).labels(labels).build());
        });
        snapshots.metricSnapshot(series.build()).metricSnapshot(spacing.build()).metricSnapshot(thickness.build());
    }

    private static String known(String value) {
        return value == null ? InputTally.UNKNOWN : value;
    }
}
