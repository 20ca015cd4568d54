package org.groundflow.review;

import org.groundflow.inference.Interpretation;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A read as the radiologist signed it: the findings kept (accepted or edited), the impression and who signed when.
 *
 * @param readId         stable identifier of the read, reused by every publication of it
 * @param interpretation the AI draft the radiologist reviewed
 * @param kept           findings accepted or edited, in finding order; rejected ones are absent
 * @param rejected       numbers of the findings the radiologist rejected
 */
public record SignOff(String readId, Interpretation interpretation, List<SignedFinding> kept, List<Integer> rejected,
                      String impression, String reviewer, Instant signedAt) {

    public SignOff {
        Objects.requireNonNull(readId, "readId");
        Objects.requireNonNull(interpretation, "interpretation");
        Objects.requireNonNull(impression, "impression");
        Objects.requireNonNull(reviewer, "reviewer");
        Objects.requireNonNull(signedAt, "signedAt");
        if (reviewer.isBlank()) {
            throw new IllegalArgumentException("reviewer must not be blank");
        }
        kept = List.copyOf(kept);
        rejected = List.copyOf(rejected);
    }
}
