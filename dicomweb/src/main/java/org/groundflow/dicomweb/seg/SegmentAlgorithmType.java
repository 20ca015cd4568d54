package org.groundflow.dicomweb.seg;

/** Segment Algorithm Type (0062,0008): how a segment was made. */
public enum SegmentAlgorithmType {
    /** Calculated by an algorithm without user input. */
    AUTOMATIC,
    /** Calculated by an algorithm with user guidance or correction. */
    SEMIAUTOMATIC,
    /** Drawn by a person. */
    MANUAL
}
