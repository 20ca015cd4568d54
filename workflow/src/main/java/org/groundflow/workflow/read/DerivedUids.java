package org.groundflow.workflow.read;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.groundflow.dicomweb.Uid;

/**
 * UIDs of the objects a read publishes, derived from the read id and the object's role (PS3.5 B.2, {@code 2.25.}
 * + a name-based UUID as an integer). A retried publication therefore stores the same object again, never a second.
 */
public final class DerivedUids {

    private DerivedUids() {
    }

    public static Uid of(String readId, String role) {
        UUID uuid = UUID.nameUUIDFromBytes(("groundflow/" + readId + "/" + role).getBytes(StandardCharsets.UTF_8));
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return new Uid("2.25." + new BigInteger(1, bytes.array()));
    }
}
