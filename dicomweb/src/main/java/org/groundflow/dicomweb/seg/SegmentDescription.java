package org.groundflow.dicomweb.seg;

import java.util.Objects;

import org.groundflow.dicomweb.CodedConcept;

/**
 * One item of the Segment Sequence (0062,0002): what a segment is and how it was made.
 *
 * @param number        Segment Number, 1 for the first segment, then 2, 3, ...
 * @param label         Segment Label, up to 64 characters
 * @param category      Segmented Property Category (CID 7150), e.g. {@link SegmentCodes#MORPHOLOGICALLY_ABNORMAL_STRUCTURE}
 * @param type          Segmented Property Type, e.g. {@link SegmentCodes#NODULE}
 * @param algorithmType how the segment was made
 * @param colour        recommended display colour; null when unspecified
 */
public record SegmentDescription(
        int number,
        String label,
        CodedConcept category,
        CodedConcept type,
        SegmentAlgorithmType algorithmType,
        RgbColour colour) {

    public SegmentDescription {
        if (number < 1 || number > 0xFFFF) {
            throw new IllegalArgumentException("segment number must be 1..65535, got " + number);
        }
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("segment " + number + ": label must not be blank");
        }
        if (label.length() > 64 || label.contains("\\")) {
            throw new IllegalArgumentException("segment " + number + ": label must be at most 64 characters without '\\', got: " + label);
        }
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(algorithmType, "algorithmType");
    }
}
