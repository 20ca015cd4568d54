package org.groundflow.inference;

import java.util.Objects;

/** A read and the masks that ground it: one mask per finding, segment number = the finding's segment number. */
public record InterpretationResult(Interpretation interpretation, SegmentMasks masks) {

    public InterpretationResult {
        Objects.requireNonNull(interpretation, "interpretation");
        Objects.requireNonNull(masks, "masks");
        for (Finding finding : interpretation.findings()) {
            if (masks.masks().stream().noneMatch(m -> m.segmentNumber() == finding.segmentNumber())) {
                throw new IllegalArgumentException("finding " + finding.number() + " names segment "
                        + finding.segmentNumber() + ", which has no mask");
            }
        }
    }

    public SegmentMask mask(int segmentNumber) {
        return masks.mask(segmentNumber);
    }
}
