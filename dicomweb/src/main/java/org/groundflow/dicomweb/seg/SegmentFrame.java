package org.groundflow.dicomweb.seg;

import java.util.BitSet;
import java.util.Objects;

/**
 * One frame of a BINARY segmentation: a segment on one plane.
 *
 * @param segmentNumber            the segment it belongs to
 * @param referencedSopInstanceUid the source image it was derived from; null when the frame names none
 * @param position                 Image Position (Patient) of the frame; null when absent
 * @param pixels                   bit {@code y * columns + x} set where the segment is present
 */
public record SegmentFrame(int segmentNumber, String referencedSopInstanceUid, double[] position, BitSet pixels) {

    public SegmentFrame {
        Objects.requireNonNull(pixels, "pixels");
    }
}
