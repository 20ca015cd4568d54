package org.groundflow.review;

import org.groundflow.inference.Finding;

import java.util.Objects;

/**
 * A finding the radiologist kept: accepted as drafted, or with the text edited.
 *
 * @param segmentNumber the finding's segment in the published DICOM-SEG. Segment numbers of a SEG run 1, 2, 3…
 *                      without gaps, so they follow the order of the kept findings, not the draft's numbers.
 */
public record SignedFinding(Finding finding, String text, boolean edited, int segmentNumber) {

    public SignedFinding {
        Objects.requireNonNull(finding, "finding");
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("signed text of finding " + finding.number() + " must not be blank");
        }
        if (segmentNumber < 1) {
            throw new IllegalArgumentException("published segment number of finding " + finding.number() + " must be >= 1, got " + segmentNumber);
        }
    }
}
