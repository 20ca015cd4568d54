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
 * @param anatomicRegion where the segment lies (Anatomic Region Sequence), e.g. SCT 39607008 "Lung"; null when not
 *                       known
 * @param anatomicRegionModifier its laterality (Anatomic Region Modifier Sequence, CID 244), e.g. SCT 24028007
 *                       "Right"; null when none
 */
public record SegmentDescription(
        int number,
        String label,
        CodedConcept category,
        CodedConcept type,
        SegmentAlgorithmType algorithmType,
        RgbColour colour,
        CodedConcept anatomicRegion,
        CodedConcept anatomicRegionModifier) {

    /** A segment without an anatomic region. */
    public SegmentDescription(int number, String label, CodedConcept category, CodedConcept type,
                              SegmentAlgorithmType algorithmType, RgbColour colour) {
        this(number, label, category, type, algorithmType, colour, null, null);
    }

    /** This segment, lying in {@code region} on the side {@code modifier} (null: none). */
    public SegmentDescription withAnatomicRegion(CodedConcept region, CodedConcept modifier) {
        return new SegmentDescription(number, label, category, type, algorithmType, colour, region, modifier);
    }

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
        if (anatomicRegion == null && anatomicRegionModifier != null) {
            throw new IllegalArgumentException("segment " + number + ": a laterality (" + anatomicRegionModifier.meaning()
                    + ") needs an anatomic region");
        }
    }
}
