package org.groundflow.workflow.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.groundflow.inference.Finding;
import org.groundflow.review.SignOff;
import org.groundflow.review.SignedFinding;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The audit trail of sign-offs, in the engine's database (table {@value #TABLE}, created by the migrations in
 * {@code db/groundflow}): per read, who signed when, and for every draft finding and the impression what the AI wrote
 * and what was signed (accepted, edited or rejected).
 */
@Component
public class SignOffAudit {

    static final String TABLE = "GF_SIGNOFF_AUDIT";

    private final JdbcTemplate jdbc;

    public SignOffAudit(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a sign-off; joins the caller's transaction, so it commits with the task's completion. */
    public void record(SignOff signOff) {
        String study = signOff.interpretation().studyInstanceUid().value();
        Timestamp at = Timestamp.from(signOff.signedAt());
        List<Object[]> rows = new ArrayList<>();
        for (Finding finding : signOff.interpretation().findings()) {
            SignedFinding kept = signOff.kept().stream().filter(k -> k.finding().number() == finding.number())
                    .findFirst().orElse(null);
            String decision = kept == null ? "reject" : kept.edited() ? "edit" : "accept";
            rows.add(new Object[] {signOff.readId(), study, signOff.reviewer(), at, "finding " + finding.number(),
                    decision, finding.text(), kept == null ? null : kept.text()});
        }
        String draftImpression = signOff.interpretation().impression();
        rows.add(new Object[] {signOff.readId(), study, signOff.reviewer(), at, "impression",
                draftImpression.equals(signOff.impression()) ? "accept" : "edit", draftImpression, signOff.impression()});
        jdbc.batchUpdate("INSERT INTO " + TABLE
                + " (READ_ID, STUDY_UID, REVIEWER, SIGNED_AT, ITEM, DECISION, AI_TEXT, SIGNED_TEXT) VALUES (?,?,?,?,?,?,?,?)", rows);
    }

    public record Change(String item, String decision, String aiText, String signedText) {
    }

    public record SignOffRecord(String readId, String studyInstanceUid, String reviewer, Instant signedAt, List<Change> changes) {
    }

    /** Every sign-off of a study, oldest first. */
    public List<SignOffRecord> forStudy(String studyInstanceUid) {
        Map<String, SignOffRecord> byRead = new LinkedHashMap<>();
        jdbc.query("SELECT READ_ID, STUDY_UID, REVIEWER, SIGNED_AT, ITEM, DECISION, AI_TEXT, SIGNED_TEXT FROM " + TABLE
                + " WHERE STUDY_UID = ? ORDER BY SIGNED_AT, READ_ID", rs -> {
                    String readId = rs.getString("READ_ID");
                    SignOffRecord record = byRead.computeIfAbsent(readId, id -> {
                        try {
                            return new SignOffRecord(id, rs.getString("STUDY_UID"), rs.getString("REVIEWER"),
                                    rs.getTimestamp("SIGNED_AT").toInstant(), new ArrayList<>());
                        } catch (java.sql.SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    record.changes().add(new Change(rs.getString("ITEM"), rs.getString("DECISION"),
                            rs.getString("AI_TEXT"), rs.getString("SIGNED_TEXT")));
                }, studyInstanceUid);
        byRead.values().forEach(r -> r.changes().sort((a, b) -> order(a.item()) - order(b.item())));
        return List.copyOf(byRead.values());
    }

    private static int order(String item) {
        return item.startsWith("finding ") ? Integer.parseInt(item.substring(8)) : Integer.MAX_VALUE;
    }
}
