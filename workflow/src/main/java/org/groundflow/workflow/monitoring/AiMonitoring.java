package org.groundflow.workflow.monitoring;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * The AI monitoring report of a time range, from the tables {@link SignOffOutcomes} and {@link ReadInputs} fill: one
 * pass over the sign-offs, their findings and the retrieved series of the range (at most {@link TimeRange#LONGEST}),
 * counted in memory by bucket. Sign-offs count by the time they were signed, series by the time they were retrieved.
 */
@Service
public class AiMonitoring {

    private final JdbcTemplate jdbc;

    public AiMonitoring(JdbcTemplate jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    }

    public MonitoringReport report(TimeRange range) {
        List<Instant> starts = range.bucketStarts();
        Map<String, ModelTally> models = new LinkedHashMap<>();
        Object from = SignOffOutcomes.utc(range.from());
        Object to = SignOffOutcomes.utc(range.to());
        jdbc.query("SELECT MODEL_NAME, MODEL_VERSION, SIGNED_AT, SIGN_MILLIS, FINDINGS FROM GF_AI_SIGNOFF"
                + " WHERE SIGNED_AT >= ? AND SIGNED_AT < ?", rs -> {
                    tally(models, rs, starts.size()).signOff(range.bucketOf(instant(rs, "SIGNED_AT")),
                            rs.getLong("SIGN_MILLIS"), rs.getInt("FINDINGS"));
                }, from, to);
        jdbc.query("SELECT s.MODEL_NAME, s.MODEL_VERSION, s.SIGNED_AT, f.LABEL, f.DECISION FROM GF_AI_FINDING f"
                + " JOIN GF_AI_SIGNOFF s ON s.READ_ID = f.READ_ID WHERE s.SIGNED_AT >= ? AND s.SIGNED_AT < ?", rs -> {
                    tally(models, rs, starts.size()).finding(range.bucketOf(instant(rs, "SIGNED_AT")),
                            rs.getString("LABEL"), rs.getString("DECISION"));
                }, from, to);
        InputTally inputs = new InputTally(starts.size());
        jdbc.query("SELECT RETRIEVED_AT, MANUFACTURER, SCANNER_MODEL, BODY_PART, PIXEL_SPACING, SLICE_THICKNESS"
                + " FROM GF_READ_INPUT WHERE RETRIEVED_AT >= ? AND RETRIEVED_AT < ?", rs -> {
                    inputs.add(range.bucketOf(instant(rs, "RETRIEVED_AT")), rs.getString("MANUFACTURER"),
                            rs.getString("SCANNER_MODEL"), rs.getString("BODY_PART"), number(rs, "PIXEL_SPACING"),
                            number(rs, "SLICE_THICKNESS"));
                }, from, to);
        List<MonitoringReport.ModelReport> reports = models.values().stream().map(ModelTally::report)
                .sorted(Comparator.comparing(MonitoringReport.ModelReport::modelName)
                        .thenComparing(MonitoringReport.ModelReport::modelVersion))
                .toList();
        return new MonitoringReport(range.from(), range.to(), range.bucket(), starts, reports, inputs.report());
    }

    private static ModelTally tally(Map<String, ModelTally> models, ResultSet rs, int buckets) throws SQLException {
        String name = rs.getString("MODEL_NAME");
        String version = rs.getString("MODEL_VERSION");
        return models.computeIfAbsent(name + '\n' + version, key -> new ModelTally(name, version, buckets));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static Double number(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }
}
