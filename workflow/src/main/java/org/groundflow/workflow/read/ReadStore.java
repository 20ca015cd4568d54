package org.groundflow.workflow.read;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.MaskCodec;
import org.groundflow.inference.SegmentMasks;
import org.groundflow.review.SignOff;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A read's state between its steps, in Groundflow's tables of the engine's database (made by the migrations in
 * {@code db/groundflow}), keyed by read id: the read ({@code GF_READ}), the one running read of each study
 * ({@code GF_ACTIVE_STUDY}), the model's draft with its masks and the series' geometry ({@code GF_DRAFT}) and the
 * sign-off ({@code GF_SIGNOFF}: the newest; {@code GF_SIGNOFF_HISTORY}: every one, amendments included). Every
 * node sees the same state, and a write joins the caller's transaction, so a
 * step's state commits with the step. The retrieved series is not here: it stays in the PACS, cached per node
 * ({@link SeriesCache}).
 */
@Component
public class ReadStore {

    /** The outcome of a read that ended normally, and of one that was cancelled. */
    public static final String COMPLETED = "COMPLETED";
    public static final String CANCELLED = "CANCELLED";

    private static final Pattern READ_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final JdbcTemplate jdbc;
    private final ReadJson json;

    public ReadStore(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.json = new ReadJson(json);
    }

    public static boolean isReadId(String readId) {
        return readId != null && READ_ID.matcher(readId).matches();
    }

    static String requireReadId(String readId) {
        if (!isReadId(readId)) {
            throw new IllegalArgumentException("read id must be a lower-case UUID, got: " + readId);
        }
        return readId;
    }

    /**
     * Makes {@code readId} the running read of {@code study}.
     *
     * @throws DuplicateKeyException when the study has a running read (committed by another transaction)
     */
    public void claimStudy(Uid study, String readId) {
        jdbc.update("INSERT INTO GF_ACTIVE_STUDY (STUDY_UID, READ_ID) VALUES (?, ?)", study.value(), requireReadId(readId));
    }

    /** The running read of the study, if any. */
    public Optional<String> runningRead(Uid study) {
        return jdbc.queryForList("SELECT READ_ID FROM GF_ACTIVE_STUDY WHERE STUDY_UID = ?", String.class, study.value())
                .stream().findFirst();
    }

    /** Frees the study of {@code readId}, a read whose process is gone without its end being recorded. */
    public void releaseStudy(Uid study, String readId) {
        jdbc.update("DELETE FROM GF_ACTIVE_STUDY WHERE STUDY_UID = ? AND READ_ID = ?", study.value(), readId);
    }

    /** Records a read's start; in the transaction that claims its study and starts its process. */
    public void started(String readId, Uid study, String processInstanceId, String requestedBy, Instant at) {
        jdbc.update("INSERT INTO GF_READ (READ_ID, STUDY_UID, PROCESS_INSTANCE_ID, REQUESTED_BY, CREATED_AT)"
                + " VALUES (?, ?, ?, ?, ?)", requireReadId(readId), study.value(), processInstanceId, requestedBy, utc(at));
    }

    /**
     * Locks the read's row until the caller's transaction ends, so that what stores the read's instances in the PACS
     * (a publication) and what withdraws them (a rejection note) run one after the other, never interleaved.
     */
    public void lock(String readId) {
        jdbc.queryForList("SELECT READ_ID FROM GF_READ WHERE READ_ID = ? FOR UPDATE", String.class,
                requireReadId(readId));
    }

    /** The process instance of the read, if it was started through {@link #started}. */
    public Optional<String> processInstance(String readId) {
        return jdbc.queryForList("SELECT PROCESS_INSTANCE_ID FROM GF_READ WHERE READ_ID = ?", String.class, readId)
                .stream().findFirst();
    }

    public void seriesChosen(String readId, Uid series) {
        jdbc.update("UPDATE GF_READ SET SERIES_UID = ? WHERE READ_ID = ?", series.value(), requireReadId(readId));
    }

    /** Records a read's end ({@link #COMPLETED} or {@link #CANCELLED}) and frees its study for the next read. */
    public void ended(String readId, String outcome, Instant at) {
        jdbc.update("DELETE FROM GF_ACTIVE_STUDY WHERE READ_ID = ?", requireReadId(readId));
        jdbc.update("UPDATE GF_READ SET ENDED_AT = ?, OUTCOME = ? WHERE READ_ID = ? AND ENDED_AT IS NULL", utc(at),
                outcome, readId);
    }

    /** Of {@code readIds}, those that ended before {@code cutoff}. */
    public List<String> endedBefore(List<String> readIds, Instant cutoff) {
        if (readIds.isEmpty()) {
            return List.of();
        }
        String marks = String.join(",", readIds.stream().map(id -> "?").toList());
        Object[] arguments = new Object[readIds.size() + 1];
        arguments[0] = utc(cutoff);
        for (int i = 0; i < readIds.size(); i++) {
            arguments[i + 1] = readIds.get(i);
        }
        return jdbc.queryForList("SELECT READ_ID FROM GF_READ WHERE ENDED_AT < ? AND READ_ID IN (" + marks + ")",
                String.class, arguments);
    }

    /**
     * Deletes the masks and the series' geometry of every read that ended before {@code cutoff}; the draft's findings,
     * the sign-off and the read stay. Running it twice, or on two nodes at once, deletes nothing more.
     *
     * @return the number of reads whose patient data was deleted now
     */
    public int purgeEndedBefore(Instant cutoff, Instant now) {
        OffsetDateTime until = utc(cutoff);
        jdbc.update("UPDATE GF_DRAFT SET MASKS = NULL, VOLUME = NULL WHERE (MASKS IS NOT NULL OR VOLUME IS NOT NULL)"
                + " AND READ_ID IN (SELECT READ_ID FROM GF_READ WHERE ENDED_AT < ?)", until);
        return jdbc.update("UPDATE GF_READ SET PURGED_AT = ? WHERE ENDED_AT < ? AND PURGED_AT IS NULL", utc(now), until);
    }

    /** Keeps the read's draft, replacing one kept before (a retried interpretation). */
    public void saveDraft(String readId, Draft draft, Instant at) {
        Object[] values = {write(draft.interpretation()), MaskCodec.encode(draft.masks()), write(draft.volume()), utc(at),
                requireReadId(readId)};
        if (jdbc.update("UPDATE GF_DRAFT SET INTERPRETATION = ?, MASKS = ?, VOLUME = ?, DRAFTED_AT = ? WHERE READ_ID = ?",
                values) == 0) {
            jdbc.update("INSERT INTO GF_DRAFT (INTERPRETATION, MASKS, VOLUME, DRAFTED_AT, READ_ID) VALUES (?, ?, ?, ?, ?)",
                    values);
        }
    }

    public Optional<Interpretation> interpretation(String readId) {
        return column(readId, "GF_DRAFT", "INTERPRETATION").map(text -> read(text, Interpretation.class, readId));
    }

    /** The draft's masks; empty without a draft or once the retention period deleted them. */
    public Optional<SegmentMasks> masks(String readId) {
        return jdbc.query("SELECT MASKS FROM GF_DRAFT WHERE READ_ID = ?", (rs, row) -> rs.getBytes("MASKS"), readId)
                .stream().filter(Objects::nonNull).findFirst().map(MaskCodec::decode);
    }

    /** The series' geometry as the model read it; empty without a draft or once the retention period deleted it. */
    public Optional<VolumeGeometry> volume(String readId) {
        return column(readId, "GF_DRAFT", "VOLUME").map(text -> read(text, VolumeGeometry.class, readId));
    }

    /** When the draft was kept: its version, which changes when a retried interpretation replaces it. */
    public Optional<Instant> draftedAt(String readId) {
        return jdbc.query("SELECT DRAFTED_AT FROM GF_DRAFT WHERE READ_ID = ?",
                (rs, row) -> rs.getObject("DRAFTED_AT", OffsetDateTime.class).toInstant(), readId).stream().findFirst();
    }

    /**
     * Keeps the sign-off of review task {@code taskId}; in the transaction that completes the task.
     *
     * @throws DuplicateKeyException when the read or the task has a sign-off already
     */
    public void saveSignOff(String taskId, SignOff signOff) {
        jdbc.update("INSERT INTO GF_SIGNOFF (READ_ID, TASK_ID, SIGN_OFF, SIGNED_BY, SIGNED_AT) VALUES (?, ?, ?, ?, ?)",
                requireReadId(signOff.readId()), taskId, write(signOff), signOff.reviewer(), utc(signOff.signedAt()));
        keepInHistory(taskId, signOff);
    }

    /** Every sign-off is also kept in {@code GF_SIGNOFF_HISTORY}, which an amendment does not overwrite. */
    private void keepInHistory(String taskId, SignOff signOff) {
        jdbc.update("INSERT INTO GF_SIGNOFF_HISTORY (READ_ID, SIGNED_AT, TASK_ID, SIGN_OFF, SIGNED_BY) VALUES (?, ?, ?, ?, ?)",
                signOff.readId(), utc(signOff.signedAt()), taskId, write(signOff), signOff.reviewer());
    }

    /** Replaces the read's sign-off with a later one of task {@code taskId}: an amendment, published as a new revision. */
    public void amendSignOff(String taskId, SignOff amended) {
        int changed = jdbc.update("UPDATE GF_SIGNOFF SET TASK_ID = ?, SIGN_OFF = ?, SIGNED_BY = ?, SIGNED_AT = ?"
                        + " WHERE READ_ID = ? AND SIGNED_AT < ?", taskId, write(amended), amended.reviewer(),
                utc(amended.signedAt()), amended.readId(), utc(amended.signedAt()));
        if (changed == 0) {
            throw new IllegalStateException("read " + amended.readId() + " has no sign-off before " + amended.signedAt()
                    + " to amend");
        }
        keepInHistory(taskId, amended);
    }

    /** Every sign-off of the read, the first and each amendment, oldest first. */
    public List<SignOff> signOffs(String readId) {
        return jdbc.queryForList("SELECT SIGN_OFF FROM GF_SIGNOFF_HISTORY WHERE READ_ID = ? ORDER BY SIGNED_AT",
                String.class, readId).stream().map(text -> read(text, SignOff.class, readId)).toList();
    }

    public Optional<SignOff> signOff(String readId) {
        return column(readId, "GF_SIGNOFF", "SIGN_OFF").map(text -> read(text, SignOff.class, readId));
    }

    /** The sign-off that completed review task {@code taskId}, if one did. */
    public Optional<SignOff> signOffOfTask(String taskId) {
        return jdbc.queryForList("SELECT SIGN_OFF FROM GF_SIGNOFF_HISTORY WHERE TASK_ID = ?", String.class, taskId).stream()
                .findFirst().map(text -> json.read(text, SignOff.class, "review task " + taskId));
    }

    /** Whether a sign-off (the first or an amendment) completed, or is completing, review task {@code taskId}. */
    public boolean hasSignOffOfTask(String taskId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM GF_SIGNOFF_HISTORY WHERE TASK_ID = ?", Integer.class, taskId) > 0;
    }

    private Optional<String> column(String readId, String table, String column) {
        return jdbc.queryForList("SELECT " + column + " FROM " + table + " WHERE READ_ID = ?", String.class, readId)
                .stream().filter(Objects::nonNull).findFirst();
    }

    private String write(Object value) {
        return json.write(value);
    }

    private <T> T read(String text, Class<T> type, String readId) {
        return json.read(text, type, "read " + readId);
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
