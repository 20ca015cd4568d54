package org.groundflow.inference;

import java.util.Objects;

/** A finding the radiologist kept: accepted as drafted, or with the text edited. */
public record SignedFinding(Finding finding, String text, boolean edited) {

    public SignedFinding {
        Objects.requireNonNull(finding, "finding");
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("signed text of finding " + finding.number() + " must not be blank");
        }
    }
}
