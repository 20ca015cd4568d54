package org.groundflow.publication;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.groundflow.dicomweb.Uid;

/**
 * UIDs of the objects a read publishes, derived from the read id, the object's role and, for instances, the read's
 * revision (PS3.5 B.2, {@code 2.25.} + a name-based UUID as an integer). A retried publication therefore stores the
 * same object again, never a second; an amended read (revision 2, 3, ...) gets new instances in the same series.
 */
public final class DerivedUids {

    private DerivedUids() {
    }

    /** A UID per read and role, the same for every revision: series, tracking identities. */
    public static Uid of(String readId, String role) {
        UUID uuid = UUID.nameUUIDFromBytes(("groundflow/" + readId + "/" + role).getBytes(StandardCharsets.UTF_8));
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return new Uid("2.25." + new BigInteger(1, bytes.array()));
    }

    /** A UID per read, role and revision (1 for the first sign-off): the published SOP instances. */
    public static Uid of(String readId, String role, int revision) {
        if (revision < 1) {
            throw new IllegalArgumentException("revision must be >= 1, got " + revision);
        }
        return of(readId, role + "/r" + revision);
    }
}
