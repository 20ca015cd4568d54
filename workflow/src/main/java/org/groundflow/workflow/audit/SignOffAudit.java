package org.groundflow.workflow.audit;

import java.util.Optional;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

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
 * and what was signed (accepted, edited or rejected), and from which client address; every amendment of a read the
 * same way, and a retraction as one entry (who, when, why). Append-only and tamper-evident:
 * the rows form one hash chain ({@link AuditChain}), checked by {@link #verify()} and the {@code auditChain} health
 * indicator.
 */
@Component
public class SignOffAudit {

    static final String TABLE = "GF_SIGNOFF_AUDIT";
    static final String HEAD = "GF_AUDIT_HEAD";
    /** The item of a retraction's audit entry. */
    public static final String RETRACTION = "retraction";

    private final JdbcTemplate jdbc;

    public SignOffAudit(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records a sign-off as links of the audit chain ({@link AuditChain}), with the signing client's address; joins the
     * caller's transaction, so it commits with the task's completion. The chain's head row is locked until then, so
     * concurrent sign-offs, on this node or another, are chained one after the other. Rows are only ever inserted:
     * nothing in Groundflow updates or deletes them.
     */
    public void record(SignOff signOff) {
        String study = signOff.interpretation().studyInstanceUid().value();
        String client = clientAddress();
        List<AuditChain.Entry> entries = new ArrayList<>();
        Map<String, Object> head = jdbc.queryForMap("SELECT SEQ, ENTRY_HASH FROM " + HEAD + " WHERE ID = 1 FOR UPDATE");
        long seq = ((Number) head.get("SEQ")).longValue();
        for (Finding finding : signOff.interpretation().findings()) {
            SignedFinding kept = signOff.kept().stream().filter(k -> k.finding().number() == finding.number())
                    .findFirst().orElse(null);
            String decision = kept == null ? "reject" : kept.edited() ? "edit" : "accept";
            entries.add(new AuditChain.Entry(++seq, signOff.readId(), study, signOff.reviewer(), signOff.signedAt(),
                    "finding " + finding.number(), decision, finding.text(), kept == null ? null : kept.text(), client));
        }
        String draftImpression = signOff.interpretation().impression();
        entries.add(new AuditChain.Entry(++seq, signOff.readId(), study, signOff.reviewer(), signOff.signedAt(),
                "impression", draftImpression.equals(signOff.impression()) ? "accept" : "edit", draftImpression,
                signOff.impression(), client));
        append(entries, (String) head.get("ENTRY_HASH"), seq);
    }

    /**
     * Records the retraction of a read as one link of the audit chain: who retracted it, when, and why (item
     * {@value #RETRACTION}, decision {@code retract}, the reason as signed text); in the caller's transaction.
     */
    public void recordRetraction(String readId, String studyUid, String retractedBy, Instant retractedAt, String reason) {
        Map<String, Object> head = jdbc.queryForMap("SELECT SEQ, ENTRY_HASH FROM " + HEAD + " WHERE ID = 1 FOR UPDATE");
        long seq = ((Number) head.get("SEQ")).longValue() + 1;
        append(List.of(new AuditChain.Entry(seq, readId, studyUid, retractedBy, retractedAt, RETRACTION, "retract", null,
                reason, clientAddress())), (String) head.get("ENTRY_HASH"), seq);
    }

    /** Inserts the entries as the links after {@code previous} and moves the head (locked by the caller) to the last. */
    private void append(List<AuditChain.Entry> entries, String previous, long seq) {
        List<Object[]> rows = new ArrayList<>();
        for (AuditChain.Entry e : entries) {
            String hash = AuditChain.link(previous, e);
            rows.add(new Object[] {e.readId(), e.studyUid(), e.reviewer(), Timestamp.from(e.signedAt()), e.item(),
                    e.decision(), e.aiText(), e.signedText(), e.seq(), e.clientAddress(), previous, hash});
            previous = hash;
        }
        jdbc.batchUpdate("INSERT INTO " + TABLE + " (READ_ID, STUDY_UID, REVIEWER, SIGNED_AT, ITEM, DECISION, AI_TEXT,"
                + " SIGNED_TEXT, SEQ, CLIENT_ADDRESS, PREV_HASH, ENTRY_HASH) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows);
        jdbc.update("UPDATE " + HEAD + " SET SEQ = ?, ENTRY_HASH = ? WHERE ID = 1", seq, previous);
    }

    /** Where the audit chain is broken (a row changed, removed or inserted behind Groundflow's back), if anywhere. */
    public Optional<String> verify() {
        List<AuditChain.StoredLink> links = jdbc.query("SELECT SEQ, READ_ID, STUDY_UID, REVIEWER, SIGNED_AT, ITEM,"
                + " DECISION, AI_TEXT, SIGNED_TEXT, CLIENT_ADDRESS, PREV_HASH, ENTRY_HASH FROM " + TABLE
                + " WHERE SEQ IS NOT NULL ORDER BY SEQ", (rs, n) -> new AuditChain.StoredLink(new AuditChain.Entry(
                        rs.getLong("SEQ"), rs.getString("READ_ID"), rs.getString("STUDY_UID"), rs.getString("REVIEWER"),
                        rs.getTimestamp("SIGNED_AT").toInstant(), rs.getString("ITEM"), rs.getString("DECISION"),
                        rs.getString("AI_TEXT"), rs.getString("SIGNED_TEXT"), rs.getString("CLIENT_ADDRESS")),
                        rs.getString("PREV_HASH"), rs.getString("ENTRY_HASH")));
        Map<String, Object> head = jdbc.queryForMap("SELECT SEQ, ENTRY_HASH FROM " + HEAD + " WHERE ID = 1");
        return AuditChain.firstBreak(links, ((Number) head.get("SEQ")).longValue(), (String) head.get("ENTRY_HASH"));
    }

    /** The address of the client whose request is being served; "-" outside a request. */
    private static String clientAddress() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request
                ? request.getRequest().getRemoteAddr() : "-";
    }

    public record Change(String item, String decision, String aiText, String signedText) {
    }

    /**
     * One audited event of a read: a sign-off (the first, or an amendment: a later one of the same read) or its
     * retraction ({@code kind} {@code sign-off}, {@code amendment} or {@code retraction}; for a retraction the reviewer is
     * who retracted and the one change holds the reason as its signed text).
     */
    public record SignOffRecord(String readId, String studyInstanceUid, String reviewer, Instant signedAt,
                                String clientAddress, List<Change> changes, String kind) {
    }

    /** Every sign-off, amendment and retraction of a study's reads, oldest first. */
    public List<SignOffRecord> forStudy(String studyInstanceUid) {
        Map<String, SignOffRecord> byEvent = new LinkedHashMap<>();
        Map<String, Integer> signOffsOfRead = new LinkedHashMap<>();
        jdbc.query("SELECT READ_ID, STUDY_UID, REVIEWER, SIGNED_AT, CLIENT_ADDRESS, ITEM, DECISION, AI_TEXT, SIGNED_TEXT"
                + " FROM " + TABLE + " WHERE STUDY_UID = ? ORDER BY SIGNED_AT, READ_ID", rs -> {
                    String readId = rs.getString("READ_ID");
                    Instant signedAt = rs.getTimestamp("SIGNED_AT").toInstant();
                    String item = rs.getString("ITEM");
                    SignOffRecord record = byEvent.get(readId + "@" + signedAt);
                    if (record == null) {
                        String kind = RETRACTION.equals(item) ? RETRACTION
                                : signOffsOfRead.merge(readId, 1, Integer::sum) == 1 ? "sign-off" : "amendment";
                        record = new SignOffRecord(readId, rs.getString("STUDY_UID"), rs.getString("REVIEWER"), signedAt,
                                rs.getString("CLIENT_ADDRESS"), new ArrayList<>(), kind);
                        byEvent.put(readId + "@" + signedAt, record);
                    }
                    record.changes().add(new Change(item, rs.getString("DECISION"), rs.getString("AI_TEXT"),
                            rs.getString("SIGNED_TEXT")));
                }, studyInstanceUid);
        byEvent.values().forEach(r -> r.changes().sort((a, b) -> order(a.item()) - order(b.item())));
        return List.copyOf(byEvent.values());
    }

    private static int order(String item) {
        return item.startsWith("finding ") ? Integer.parseInt(item.substring(8)) : Integer.MAX_VALUE;
    }
}
