package org.groundflow.workflow.read;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import org.groundflow.dicomweb.Uid;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The retractions of reads, in table {@code GF_RETRACTION} of the engine's database: one per read, written in the
 * transaction that starts the retraction's process; the rejection note's UID once the PACS has it.
 */
@Component
public class Retractions {

    private final JdbcTemplate jdbc;

    public Retractions(JdbcTemplate jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    }

    /** @throws DuplicateKeyException when the read was retracted already (also by a concurrent request) */
    public void record(Retraction retraction) {
        jdbc.update("INSERT INTO GF_RETRACTION (READ_ID, RETRACTED_BY, RETRACTED_AT, REASON) VALUES (?, ?, ?, ?)",
                retraction.readId(), retraction.retractedBy(),
                OffsetDateTime.ofInstant(retraction.retractedAt(), ZoneOffset.UTC), retraction.reason());
    }

    public Optional<Retraction> of(String readId) {
        return jdbc.query("SELECT READ_ID, RETRACTED_BY, RETRACTED_AT, REASON, REJECTION_NOTE_UID FROM GF_RETRACTION"
                + " WHERE READ_ID = ?", (rs, n) -> new Retraction(rs.getString("READ_ID"), rs.getString("RETRACTED_BY"),
                rs.getObject("RETRACTED_AT", OffsetDateTime.class).toInstant(), rs.getString("REASON"),
                rs.getString("REJECTION_NOTE_UID")), readId).stream().findFirst();
    }

    /** Records that the rejection note of the read's retraction is in the PACS. */
    public void rejectionNoteStored(String readId, Uid rejectionNote) {
        jdbc.update("UPDATE GF_RETRACTION SET REJECTION_NOTE_UID = ? WHERE READ_ID = ?", rejectionNote.value(), readId);
    }
}
