package org.groundflow.workflow.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.groundflow.dicomweb.Uid;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.ModelIdentity;
import org.groundflow.review.Review;
import org.groundflow.workflow.monitoring.MonitoringReport.LabelReport;
import org.groundflow.workflow.monitoring.MonitoringReport.ModelReport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The AI monitoring on a database of Groundflow's migrations, seeded with {@link MonitoringSeed}: the report of a
 * range and the Prometheus metrics show the seeded figures; rows outside the range stay out of the report. Run on H2
 * and on PostgreSQL.
 */
abstract class MonitoringContract {

    static final Instant WEEK = Instant.parse("2021-03-01T00:00:00Z");
    static final String TAG = "contract";

    private final JdbcTemplate jdbc;
    private final AiMonitoring monitoring;

    MonitoringContract(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.monitoring = new AiMonitoring(jdbc);
        if (jdbc.queryForObject("SELECT COUNT(*) FROM GF_AI_SIGNOFF", Integer.class) == 0) {
            MonitoringSeed.seed(new SignOffOutcomes(jdbc), new ReadInputs(jdbc), TAG, WEEK);
        }
    }

    @Test
    void theReportOfTheWeekShowsTheSeededRatesTimesAndFindingsPerStudy() {
        MonitoringReport report = monitoring.report(MonitoringSeed.week(WEEK));

        assertThat(report.models()).extracting(ModelReport::modelVersion).containsExactly("1.0", "2.0");
        ModelReport first = report.models().get(0);
        assertThat(first.modelName()).isEqualTo("seed-contract");
        assertThat(first.studies()).isEqualTo(3);
        assertThat(first.findingsPerStudy()).isCloseTo(5 / 3.0, within(1e-9));
        assertThat(first.medianTimeToSign()).isEqualTo(1200.0);
        assertThat(first.meanTimeToSign()).isEqualTo(1200.0);
        assertThat(first.decisions()).isEqualTo(MonitoringReport.Decisions.of(3, 1, 1));
        assertThat(first.decisions().acceptRate()).isEqualTo(0.6);
        assertThat(first.labels()).extracting(LabelReport::label).containsExactly("cyst", "nodule");
        LabelReport cyst = first.labels().get(0);
        assertThat(cyst.decisions()).isEqualTo(MonitoringReport.Decisions.of(1, 1, 0));
        assertThat(cyst.findingsPerStudy()).isCloseTo(2 / 3.0, within(1e-9));
        LabelReport nodule = first.labels().get(1);
        assertThat(nodule.decisions().acceptRate()).isCloseTo(2 / 3.0, within(1e-9));
        assertThat(nodule.decisions().editRate()).isZero();
        assertThat(nodule.decisions().rejectRate()).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(nodule.findingsPerStudy()).isEqualTo(1.0);

        ModelReport second = report.models().get(1);
        assertThat(second.studies()).as("the sign-off before the week is left out").isEqualTo(1);
        assertThat(second.medianTimeToSign()).isEqualTo(60.0);
        assertThat(second.labels()).singleElement().satisfies(label -> {
            assertThat(label.decisions()).isEqualTo(MonitoringReport.Decisions.of(1, 1, 2));
            assertThat(label.decisions().rejectRate()).isEqualTo(0.5);
            assertThat(label.findingsPerStudy()).isEqualTo(4.0);
        });
    }

    @Test
    void theTimelineHasOneDayPerBucketWithTheSignOffsOfThatDay() {
        MonitoringReport report = monitoring.report(MonitoringSeed.week(WEEK));

        assertThat(report.bucketStarts()).hasSize(7).first().isEqualTo(WEEK);
        List<MonitoringReport.ModelBucket> timeline = report.models().get(0).timeline();
        assertThat(timeline).extracting(MonitoringReport.ModelBucket::studies).containsExactly(0, 1, 2, 0, 0, 0, 0);
        assertThat(timeline.get(0).acceptRate()).isNull();
        assertThat(timeline.get(1).acceptRate()).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(timeline.get(1).medianTimeToSign()).isEqualTo(600.0);
        assertThat(timeline.get(1).findingsPerStudy()).isEqualTo(3.0);
        assertThat(timeline.get(2).acceptRate()).isEqualTo(1.0);
        assertThat(timeline.get(2).medianTimeToSign()).isEqualTo(1500.0);
        assertThat(report.models().get(1).timeline().get(3).rejectRate()).isEqualTo(0.5);
    }

    @Test
    void theInputsOfTheWeekShowScannersBodyPartsSpacingAndThickness() {
        MonitoringReport.InputReport inputs = monitoring.report(MonitoringSeed.week(WEEK)).inputs();

        assertThat(inputs.series()).isEqualTo(4);
        assertThat(inputs.scanners()).containsExactly(new MonitoringReport.Share("GE LightSpeed-contract", 2),
                new MonitoringReport.Share("Siemens Force-contract", 1), new MonitoringReport.Share("unknown", 1));
        assertThat(inputs.bodyParts()).containsExactly(new MonitoringReport.Share("CHEST", 2),
                new MonitoringReport.Share("ABDOMEN", 1), new MonitoringReport.Share("unknown", 1));
        assertThat(inputs.pixelSpacing()).isEqualTo(new MonitoringReport.Spread(3, 0.6, 0.7, 0.8));
        assertThat(inputs.sliceThickness()).isEqualTo(new MonitoringReport.Spread(4, 1.25, 2.125, 5.0));
        MonitoringReport.InputBucket day2 = inputs.timeline().get(2);
        assertThat(day2.series()).isEqualTo(2);
        assertThat(day2.medianPixelSpacing()).isCloseTo(0.7, within(1e-9));
        assertThat(day2.scanners()).isEqualTo(Map.of("GE LightSpeed-contract", 1, "Siemens Force-contract", 1));
    }

    @Test
    void aRangeExcludesWhatLiesOutsideIt() {
        MonitoringReport day3 = monitoring.report(new TimeRange(WEEK.plusSeconds(3 * 86400), WEEK.plusSeconds(4 * 86400)));
        assertThat(day3.bucket().toHours()).as("a day's range is drawn by the hour").isEqualTo(1);
        assertThat(day3.models()).singleElement().satisfies(m -> {
            assertThat(m.modelVersion()).isEqualTo("2.0");
            assertThat(m.studies()).isEqualTo(1);
        });
        assertThat(day3.inputs().series()).isEqualTo(1);

        MonitoringReport before = monitoring.report(new TimeRange(WEEK.minusSeconds(30 * 86400L), WEEK));
        assertThat(before.models()).singleElement().satisfies(m -> {
            assertThat(m.modelVersion()).isEqualTo("2.0");
            assertThat(m.decisions()).isEqualTo(MonitoringReport.Decisions.of(1, 0, 0));
            assertThat(m.medianTimeToSign()).isEqualTo(300.0);
        });
        assertThat(before.inputs().scanners()).containsExactly(new MonitoringReport.Share("Philips Ingenuity-contract", 1));

        MonitoringReport later = monitoring.report(new TimeRange(WEEK.plusSeconds(7 * 86400), WEEK.plusSeconds(9 * 86400)));
        assertThat(later.models()).isEmpty();
        assertThat(later.inputs().series()).isZero();
        assertThat(later.inputs().pixelSpacing()).isEqualTo(new MonitoringReport.Spread(0, null, null, null));
    }

    @Test
    void prometheusMetricsCountEverySignOffAndRetrievalRecorded() {
        MetricSnapshots metrics = new MonitoringMetrics(jdbc, new StaticListableBeanFactory().getBeanProvider(
                PrometheusRegistry.class)).collect();

        SummarySnapshot.SummaryDataPointSnapshot v1 = point(metrics, "groundflow_ai_time_to_sign_seconds",
                "model_name", "seed-contract", "model_version", "1.0");
        assertThat(v1.getCount()).isEqualTo(3);
        assertThat(v1.getSum()).isEqualTo(3600.0);
        SummarySnapshot.SummaryDataPointSnapshot v2 = point(metrics, "groundflow_ai_time_to_sign_seconds",
                "model_name", "seed-contract", "model_version", "2.0");
        assertThat(v2.getCount()).as("all sign-offs, also the one before the week").isEqualTo(2);
        assertThat(v2.getSum()).isEqualTo(360.0);
        String[] v2Nodule = {"model_name", "seed-contract", "model_version", "2.0", "label", "nodule"};
        assertThat(this.<CounterSnapshot.CounterDataPointSnapshot>point(metrics, "groundflow_ai_findings",
                with(v2Nodule, "decision", "accept")).getValue()).isEqualTo(2.0);
        assertThat(this.<CounterSnapshot.CounterDataPointSnapshot>point(metrics, "groundflow_ai_findings",
                with(v2Nodule, "decision", "reject")).getValue()).isEqualTo(2.0);
        assertThat(this.<GaugeSnapshot.GaugeDataPointSnapshot>point(metrics, "groundflow_ai_decision_ratio",
                with(v2Nodule, "decision", "accept")).getValue()).isEqualTo(0.4);
        assertThat(this.<GaugeSnapshot.GaugeDataPointSnapshot>point(metrics, "groundflow_ai_findings_per_study",
                v2Nodule).getValue()).isEqualTo(2.5);
        assertThat(this.<GaugeSnapshot.GaugeDataPointSnapshot>point(metrics, "groundflow_ai_decision_ratio",
                "model_name", "seed-contract", "model_version", "1.0", "label", "cyst", "decision", "edit").getValue())
                .isEqualTo(0.5);

        String[] ge = {"manufacturer", "GE", "scanner_model", "LightSpeed-contract", "body_part", "CHEST"};
        assertThat(this.<CounterSnapshot.CounterDataPointSnapshot>point(metrics, "groundflow_ai_inputs", ge).getValue())
                .isEqualTo(2.0);
        SummarySnapshot.SummaryDataPointSnapshot spacing = point(metrics, "groundflow_ai_input_pixel_spacing_millimeters", ge);
        assertThat(spacing.getCount()).isEqualTo(2);
        assertThat(spacing.getSum()).isCloseTo(1.5, within(1e-9));
        String[] unknown = {"manufacturer", "unknown", "scanner_model", "unknown", "body_part", "unknown"};
        assertThat(this.<SummarySnapshot.SummaryDataPointSnapshot>point(metrics,
                "groundflow_ai_input_pixel_spacing_millimeters", unknown).getCount()).isZero();
        assertThat(this.<SummarySnapshot.SummaryDataPointSnapshot>point(metrics,
                "groundflow_ai_input_slice_thickness_millimeters", unknown).getSum()).isEqualTo(5.0);
        assertThat(this.<CounterSnapshot.CounterDataPointSnapshot>point(metrics, "groundflow_ai_inputs",
                "manufacturer", "Philips", "scanner_model", "Ingenuity-contract", "body_part", "CHEST").getValue())
                .isEqualTo(1.0);
    }

    @Test
    void aReadKeepsItsFirstSignOff() {
        String readId = jdbc.queryForObject("SELECT MIN(READ_ID) FROM GF_AI_SIGNOFF", String.class);
        ModelReport before = monitoring.report(MonitoringSeed.week(WEEK)).models().get(0);
        var signOff = Review.sign(readId, new Interpretation(
                Uid.of("2.25.5"), Uid.of("2.25.6"),
                new ModelIdentity("seed-contract", "1.0", Uid.of("2.25.77"),
                        "Groundflow"), List.of(), "Amended."), List.of(), "Amended.", "other", WEEK.plusSeconds(86400));

        assertThat(new SignOffOutcomes(jdbc).record(signOff, WEEK)).isFalse();
        assertThat(monitoring.report(MonitoringSeed.week(WEEK)).models().get(0)).isEqualTo(before);
    }

    @Test
    void aSeriesWhoseHeaderCannotBeReadIsSkippedWithoutStoppingTheRead() throws Exception {
        Path notDicom = Files.createTempFile("not-dicom", ".dcm");
        try {
            Files.writeString(notDicom, "plain text");
            String readId = UUID.randomUUID().toString();

            new ReadInputs(jdbc).record(readId, Uid.of("2.25.8"), notDicom, WEEK);

            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM GF_READ_INPUT WHERE READ_ID = ?", Integer.class, readId))
                    .isZero();
        } finally {
            Files.delete(notDicom);
        }
    }

    private static String[] with(String[] labels, String name, String value) {
        String[] all = Arrays.copyOf(labels, labels.length + 2);
        all[labels.length] = name;
        all[labels.length + 1] = value;
        return all;
    }

    @SuppressWarnings("unchecked")
    private <T extends DataPointSnapshot> T point(MetricSnapshots metrics, String name, String... labels) {
        Labels wanted = Labels.of(labels);
        MetricSnapshot metric = metrics.stream().filter(m -> m.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name));
        return (T) metric.getDataPoints().stream().filter(p -> p.getLabels().equals(wanted)).findFirst()
                .orElseThrow(() -> new AssertionError("no data point " + wanted + " of " + name + " in "
                        + metric.getDataPoints().stream().map(DataPointSnapshot::getLabels).toList()));
    }
}
