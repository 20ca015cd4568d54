package org.groundflow.workflow.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The hash chain that makes the sign-off audit tamper-evident. Link n holds {@code SHA-256(hash of link n-1, its own
 * content)}; the first link follows {@link #GENESIS}. Changing, removing or reordering any audited row breaks every
 * link after it, which {@link #firstBreak} finds. The content is each field in a fixed order, separated by a unit
 * separator, times as ISO instants to the microsecond (what the database keeps).
 */
public final class AuditChain {

    /** The hash before the first link. */
    public static final String GENESIS = "0".repeat(64);

    private static final char SEPARATOR = '\u001f';

    private AuditChain() {
    }

    /** One audited row as chained. */
    public record Entry(long seq, String readId, String studyUid, String reviewer, Instant signedAt, String item,
                        String decision, String aiText, String signedText, String clientAddress) {

        public Entry {
            Objects.requireNonNull(readId, "readId");
            Objects.requireNonNull(signedAt, "signedAt");
            signedAt = signedAt.truncatedTo(ChronoUnit.MICROS);
        }

        String content() {
            StringBuilder text = new StringBuilder().append(seq);
            for (Object field : new Object[] {readId, studyUid, reviewer, signedAt, item, decision, aiText, signedText,
                    clientAddress}) {
                text.append(SEPARATOR).append(field == null ? "" : field.toString());
            }
            return text.toString();
        }
    }

    /** The hash of {@code entry} following the link whose hash is {@code previous}. */
    public static String link(String previous, Entry entry) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(previous.getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) '\n');
            sha.update(entry.content().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** A stored link: the entry and the hashes stored with it. */
    public record StoredLink(Entry entry, String previousHash, String hash) {
    }

    /**
     * Where a chain read in sequence order stops holding, if anywhere: a gap in the numbering, a previous hash that is
     * not the last link's hash, or a hash that is not the hash of the content.
     */
    public static Optional<String> firstBreak(Iterable<StoredLink> links, long headSeq, String headHash) {
        String previous = GENESIS;
        long expected = 1;
        for (StoredLink link : links) {
            long seq = link.entry().seq();
            if (seq != expected) {
                return Optional.of("audit link " + expected + " is missing (next stored link is " + seq + ")");
            }
            if (!previous.equals(link.previousHash())) {
                return Optional.of("audit link " + seq + " does not follow link " + (seq - 1));
            }
            if (!link(previous, link.entry()).equals(link.hash())) {
                return Optional.of("audit link " + seq + " (read " + link.entry().readId() + ", " + link.entry().item()
                        + ") was changed after it was written");
            }
            previous = link.hash();
            expected++;
        }
        if (expected - 1 != headSeq || !previous.equals(headHash)) {
            return Optional.of("the audit chain ends at link " + (expected - 1) + " but its head says " + headSeq
                    + ": links were removed");
        }
        return Optional.empty();
    }
}
