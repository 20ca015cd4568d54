package org.groundflow.dicomweb.seg;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.dicomweb.Uid;

/**
 * What {@link SegmentationReader} found in a BINARY DICOM Segmentation: its identity, the source series it refers
 * to, the segments and the frames. {@link #mask(int, VolumeGeometry)} puts a segment back onto its source volume.
 */
public record SegmentationContent(
        Uid sopInstanceUid,
        Uid seriesInstanceUid,
        Uid studyInstanceUid,
        Uid frameOfReferenceUid,
        Uid referencedSeriesInstanceUid,
        int rows,
        int columns,
        List<SegmentDescription> segments,
        List<SegmentFrame> frames) {

    private static final double POSITION_TOLERANCE_MM = 0.01;

    public SegmentationContent {
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
        segments = List.copyOf(segments);
        frames = List.copyOf(frames);
    }

    public Optional<SegmentDescription> segment(int number) {
        return segments.stream().filter(s -> s.number() == number).findFirst();
    }

    /** The frames of one segment, in file order. */
    public List<SegmentFrame> frames(int segmentNumber) {
        return frames.stream().filter(f -> f.segmentNumber() == segmentNumber).toList();
    }

    /**
     * The segment as a mask over the source volume, bit {@code (z * rows + y) * columns + x}. Frames are placed by
     * the source image they reference, or by their position when they reference none.
     *
     * @throws SegmentationException when the segment does not exist or its frames do not fit the volume
     */
    public BitSet mask(int segmentNumber, ImageVolume source) {
        return mask(segmentNumber, Objects.requireNonNull(source, "source").geometry());
    }

    /** As {@link #mask(int, ImageVolume)}, on the geometry of the source series. */
    public BitSet mask(int segmentNumber, VolumeGeometry source) {
        Objects.requireNonNull(source, "source");
        if (segment(segmentNumber).isEmpty()) {
            throw new SegmentationException("segmentation " + sopInstanceUid + " has no segment " + segmentNumber);
        }
        if (rows != source.rows() || columns != source.columns()) {
            throw new SegmentationException("segmentation " + sopInstanceUid + " is " + columns + "x" + rows
                    + ", the volume of series " + source.seriesInstanceUid() + " is " + source.columns() + "x" + source.rows());
        }
        if (frameOfReferenceUid != null && source.frameOfReferenceUid() != null
                && !frameOfReferenceUid.equals(source.frameOfReferenceUid())) {
            throw new SegmentationException("segmentation " + sopInstanceUid + " is in frame of reference "
                    + frameOfReferenceUid + ", the volume of series " + source.seriesInstanceUid() + " in "
                    + source.frameOfReferenceUid());
        }
        Map<String, Integer> sliceOf = new HashMap<>();
        for (int z = 0; z < source.slices(); z++) {
            sliceOf.put(source.sopInstanceUids().get(z).value(), z);
        }
        int perSlice = source.voxelsPerSlice();
        BitSet mask = new BitSet(perSlice * source.slices());
        for (SegmentFrame frame : frames(segmentNumber)) {
            int z = slice(frame, sliceOf, source);
            BitSet pixels = frame.pixels();
            for (int i = pixels.nextSetBit(0); i >= 0; i = pixels.nextSetBit(i + 1)) {
                mask.set(z * perSlice + i);
            }
        }
        return mask;
    }

    private int slice(SegmentFrame frame, Map<String, Integer> sliceOf, VolumeGeometry source) {
        if (frame.referencedSopInstanceUid() != null) {
            Integer z = sliceOf.get(frame.referencedSopInstanceUid());
            if (z == null) {
                throw new SegmentationException("segmentation " + sopInstanceUid + ": a frame of segment "
                        + frame.segmentNumber() + " references instance " + frame.referencedSopInstanceUid()
                        + ", which is not in series " + source.seriesInstanceUid());
            }
            return z;
        }
        if (frame.position() != null) {
            for (int z = 0; z < source.slices(); z++) {
                if (samePlace(frame.position(), source.slicePositions().get(z))) {
                    return z;
                }
            }
        }
        throw new SegmentationException("segmentation " + sopInstanceUid + ": a frame of segment "
                + frame.segmentNumber() + " matches no slice of series " + source.seriesInstanceUid());
    }

    private static boolean samePlace(double[] a, double[] b) {
        return Math.abs(a[0] - b[0]) < POSITION_TOLERANCE_MM && Math.abs(a[1] - b[1]) < POSITION_TOLERANCE_MM
                && Math.abs(a[2] - b[2]) < POSITION_TOLERANCE_MM;
    }
}
