package org.groundflow.dicomweb.sr;

import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The radiologist's sign-off: the person observer of the report and its Verifying Observer, so the report is
 * VERIFIED and FINAL. The time is kept to the second, as the report stores it.
 *
 * @param verifierName the signing radiologist, as a DICOM person name (e.g. {@code Doe^Jane} or a user name)
 * @param organization the organisation responsible for the verification
 */
public record Verification(String verifierName, String organization, OffsetDateTime verifiedAt) {

    public Verification {
        requireText("verifierName", verifierName);
        requireText("organization", organization);
        Objects.requireNonNull(verifiedAt, "verifiedAt");
        verifiedAt = verifiedAt.truncatedTo(ChronoUnit.SECONDS);
    }

    private static void requireText(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        if (value.length() > 64 || value.contains("\\")) {
            throw new IllegalArgumentException(name + " must be at most 64 characters without '\\', got: " + value);
        }
    }
}
