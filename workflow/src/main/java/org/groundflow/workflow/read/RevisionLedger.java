package org.groundflow.workflow.read;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.groundflow.dicomweb.Uid;
import org.groundflow.publication.Revision;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The revisions of each read as published to the PACS, in table {@value #TABLE} of the engine's database (created by
 * the migrations in {@code db/groundflow}). Every sign-off of a read is one revision: the first is 1, each amendment
 * the next. {@link #revisionFor} records a sign-off's revision once; a retried publication of the same sign-off, on
 * this node or another, gets the same revision and so the same SOP Instance UIDs. The table's keys decide races:
 * (read, number) and (read, sign-off time) are unique, and an insert that loses is undone to a savepoint and read
 * again.
 */
@Component
public class RevisionLedger {

    public static final String TABLE = "GF_REVISION";

    /** Inserts lost to concurrent sign-offs of the same read before giving up; each loss means another one won. */
    static final int ATTEMPTS = 5;

    private static final String COLUMNS = "READ_ID, REVISION, SIGNED_AT, SEG_SOP_INSTANCE_UID, SR_SOP_INSTANCE_UID, PREDECESSOR";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate savepoint;

    public RevisionLedger(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /**
     * The revision of the sign-off of {@code readId} at {@code signedAt}: the one recorded for it, or the next one,
     * recorded now. Sign-off times are kept to the microsecond (what both databases store).
     */
    public Revision revisionFor(String readId, Instant signedAt) {
        requireReadId(readId);
        Objects.requireNonNull(signedAt, "signedAt");
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            List<Revision> revisions = revisions(readId);
            Optional<Revision> recorded = revisions.stream().filter(r -> r.isSignOffAt(signedAt)).findFirst();
            if (recorded.isPresent()) {
                return recorded.get();
            }
            Revision next = revisions.isEmpty() ? Revision.first(readId, signedAt)
                    : revisions.get(revisions.size() - 1).next(signedAt);
            if (insertIfAbsent(next)) {
                return next;
            }
        }
        throw new IllegalStateException("read " + readId + ": the revision of the sign-off at " + signedAt + " could not be "
                + "recorded in " + ATTEMPTS + " attempts; other sign-offs of the read kept taking its number");
    }

    /** The read's revisions, first to last. */
    public List<Revision> revisions(String readId) {
        requireReadId(readId);
        return jdbc.query("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE READ_ID = ? ORDER BY REVISION",
                RevisionLedger::revision, readId);
    }

    /** @return false when a row with the same number or sign-off time exists (another caller won) */
    private boolean insertIfAbsent(Revision revision) {
        try {
            // a savepoint, so that losing a race does not spoil the surrounding transaction (PostgreSQL)
            savepoint.executeWithoutResult(status -> jdbc.update("INSERT INTO " + TABLE + " (" + COLUMNS
                            + ") VALUES (?, ?, ?, ?, ?, ?)", revision.readId(), revision.number(),
                    OffsetDateTime.ofInstant(revision.signedAt(), ZoneOffset.UTC), revision.segSopInstanceUid().value(),
                    revision.srSopInstanceUid().value(),
                    revision.predecessor() == null ? null : revision.predecessor().value()));
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    private static Revision revision(ResultSet rs, int row) throws SQLException {
        String predecessor = rs.getString("PREDECESSOR");
        return new Revision(rs.getString("READ_ID"), rs.getInt("REVISION"),
                rs.getObject("SIGNED_AT", OffsetDateTime.class).toInstant(), Uid.of(rs.getString("SEG_SOP_INSTANCE_UID")),
                Uid.of(rs.getString("SR_SOP_INSTANCE_UID")), predecessor == null ? null : Uid.of(predecessor));
    }

    private static void requireReadId(String readId) {
        if (!ReadStore.isReadId(readId)) {
            throw new IllegalArgumentException("read id must be a lower-case UUID, got: " + readId);
        }
    }
}
