package org.groundflow.workflow.intake;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.groundflow.dicomweb.Uid;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the intake has seen of each study, in table {@value #TABLE} of the engine's database (created by the
 * migrations in {@code db/groundflow}; plain SQL that H2 and PostgreSQL both run). A study is started at most once:
 * {@link #claim} is a conditional update that only one caller can win, whichever node it runs on, and a claimed row
 * is never released unless its read could not be started.
 */
@Component
public class IntakeLedger {

    public static final String TABLE = "GF_STUDY_INTAKE";

    private static final String COLUMNS = "STUDY_UID, FIRST_SEEN, INSTANCE_COUNT, LAST_CHANGE, STARTED_AT, READ_ID, OUTCOME";

    /** How the intake's claim on a study ended. */
    public enum Outcome {
        /** Claimed; the read is being started in the same transaction. */
        CLAIMED,
        /** The intake started a read ({@code READ_ID}). */
        STARTED,
        /** A read of the study was already running (started through the REST API): the intake started none. */
        ALREADY_RUNNING
    }

    /**
     * One study as the intake has seen it.
     *
     * @param lastChange when the instance count was first seen at its current value
     * @param startedAt  when the intake claimed the study; empty while it waits to become stable
     */
    public record Entry(Uid studyInstanceUid, Instant firstSeen, int instanceCount, Instant lastChange,
                        Optional<Instant> startedAt, Optional<String> readId, Optional<Outcome> outcome) {

        public boolean claimed() {
            return startedAt.isPresent();
        }
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate savepoint;

    public IntakeLedger(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    public Optional<Entry> find(Uid study) {
        Objects.requireNonNull(study, "study");
        List<Entry> rows = jdbc.query("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE STUDY_UID = ?",
                IntakeLedger::entry, study.value());
        return rows.stream().findFirst();
    }

    /**
     * Records a study seen for the first time.
     *
     * @return false when it was already recorded (by another node in the meantime)
     */
    public boolean record(Uid study, int instanceCount, Instant now) {
        Objects.requireNonNull(study, "study");
        OffsetDateTime at = timestamp(now);
        try {
            // a savepoint, so that losing the race does not spoil the surrounding transaction (PostgreSQL)
            savepoint.executeWithoutResult(status -> jdbc.update("INSERT INTO " + TABLE
                    + " (STUDY_UID, FIRST_SEEN, INSTANCE_COUNT, LAST_CHANGE) VALUES (?, ?, ?, ?)",
                    study.value(), at, instanceCount, at));
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /**
     * A new instance count for an unclaimed study: its quiet time starts again at {@code now}.
     *
     * @return false when the count was already this, or the study is claimed
     */
    public boolean countChanged(Uid study, int instanceCount, Instant now) {
        Objects.requireNonNull(study, "study");
        return jdbc.update("UPDATE " + TABLE + " SET INSTANCE_COUNT = ?, LAST_CHANGE = ? "
                + "WHERE STUDY_UID = ? AND STARTED_AT IS NULL AND INSTANCE_COUNT <> ?",
                instanceCount, timestamp(now), study.value(), instanceCount) == 1;
    }

    /**
     * Claims a study for starting its read: only if nobody has claimed it, its count is still {@code instanceCount}
     * and has not changed since {@code stableSince}. Of concurrent callers (threads or nodes) exactly one gets true;
     * the others wait for its transaction and then find the row claimed.
     */
    public boolean claim(Uid study, int instanceCount, Instant stableSince, Instant now) {
        Objects.requireNonNull(study, "study");
        return jdbc.update("UPDATE " + TABLE + " SET STARTED_AT = ?, OUTCOME = ? "
                + "WHERE STUDY_UID = ? AND STARTED_AT IS NULL AND INSTANCE_COUNT = ? AND LAST_CHANGE <= ?",
                timestamp(now), Outcome.CLAIMED.name(), study.value(), instanceCount, timestamp(stableSince)) == 1;
    }

    /** How the claim ended: the read started ({@code readId}), or one was already running ({@code readId} null). */
    public void settle(Uid study, String readId, Outcome outcome) {
        Objects.requireNonNull(study, "study");
        Objects.requireNonNull(outcome, "outcome");
        jdbc.update("UPDATE " + TABLE + " SET READ_ID = ?, OUTCOME = ? WHERE STUDY_UID = ?",
                readId, outcome.name(), study.value());
    }

    /** Gives a claim up because no read could be started (the study vanished): a later pass may try again. */
    public void release(Uid study) {
        Objects.requireNonNull(study, "study");
        jdbc.update("UPDATE " + TABLE + " SET STARTED_AT = NULL, READ_ID = NULL, OUTCOME = NULL WHERE STUDY_UID = ?",
                study.value());
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(Objects.requireNonNull(instant, "instant"), ZoneOffset.UTC);
    }

    private static Entry entry(ResultSet rs, int row) throws SQLException {
        String outcome = rs.getString("OUTCOME");
        return new Entry(Uid.of(rs.getString("STUDY_UID")),
                instant(rs, "FIRST_SEEN").orElseThrow(),
                rs.getInt("INSTANCE_COUNT"),
                instant(rs, "LAST_CHANGE").orElseThrow(),
                instant(rs, "STARTED_AT"),
                Optional.ofNullable(rs.getString("READ_ID")),
                Optional.ofNullable(outcome).map(Outcome::valueOf));
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return Optional.ofNullable(value).map(OffsetDateTime::toInstant);
    }
}
