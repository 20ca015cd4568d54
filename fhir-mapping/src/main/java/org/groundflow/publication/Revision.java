package org.groundflow.publication;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.groundflow.dicomweb.Uid;

/**
 * One sign-off of a read as the PACS receives it: revision 1 is the first sign-off, 2 the first amendment, and so on.
 * The SOP Instance UIDs of its SEG and SR derive from the read and the number ({@link DerivedUids}), so a retried
 * publication stores the same instances again; every revision after the first names the SR it replaces.
 *
 * @param signedAt    when the radiologist signed this revision (one revision per sign-off), to the microsecond, the
 *                    precision the databases that keep revisions store
 * @param predecessor the SR SOP Instance UID of the revision before; null for revision 1
 */
public record Revision(String readId, int number, Instant signedAt, Uid segSopInstanceUid, Uid srSopInstanceUid,
                       Uid predecessor) {

    public Revision {
        Objects.requireNonNull(readId, "readId");
        signedAt = Objects.requireNonNull(signedAt, "signedAt").truncatedTo(ChronoUnit.MICROS);
        Objects.requireNonNull(segSopInstanceUid, "segSopInstanceUid");
        Objects.requireNonNull(srSopInstanceUid, "srSopInstanceUid");
        if (number < 1) {
            throw new IllegalArgumentException("revision number of read " + readId + " must be >= 1, got " + number);
        }
        if ((number == 1) != (predecessor == null)) {
            throw new IllegalArgumentException("revision " + number + " of read " + readId + " must "
                    + (number == 1 ? "name no predecessor, got " + predecessor : "name its predecessor, got none"));
        }
    }

    /** Whether this is the revision of the sign-off at {@code at}. */
    public boolean isSignOffAt(Instant at) {
        return signedAt.equals(at.truncatedTo(ChronoUnit.MICROS));
    }

    /** The first sign-off of a read. */
    public static Revision first(String readId, Instant signedAt) {
        return numbered(readId, 1, signedAt, null);
    }

    /** The sign-off after this one (an amendment), signed at {@code amendedAt}. */
    public Revision next(Instant amendedAt) {
        return numbered(readId, number + 1, amendedAt, srSopInstanceUid);
    }

    private static Revision numbered(String readId, int number, Instant signedAt, Uid predecessor) {
        return new Revision(readId, number, signedAt, DerivedUids.of(readId, "seg", number),
                DerivedUids.of(readId, "sr", number), predecessor);
    }
}
