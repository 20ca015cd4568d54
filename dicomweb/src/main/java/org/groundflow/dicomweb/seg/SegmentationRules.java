package org.groundflow.dicomweb.seg;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.groundflow.dicomweb.volume.VolumeGeometry;

/** The checks a {@link Segmentation.Builder} must pass before anything is encoded: cheap ones first. */
final class SegmentationRules {

    private SegmentationRules() {
    }

    static void check(Segmentation.Builder b) {
        requireSet(b.seriesInstanceUid, "seriesInstanceUid");
        requireSet(b.sopInstanceUid, "sopInstanceUid");
        requireSet(b.seriesNumber, "seriesNumber");
        if (b.seriesInstanceUid.equals(b.source.seriesInstanceUid())) {
            throw new IllegalArgumentException("seriesInstanceUid must differ from the source series " + b.seriesInstanceUid);
        }
        checkSource(b.source);
        checkSegments(b.segments, b.source);
        boolean needsAlgorithm = b.segments.stream()
                .anyMatch(s -> s.description().algorithmType() != SegmentAlgorithmType.MANUAL);
        if (needsAlgorithm && b.algorithmName == null) {
            throw new IllegalArgumentException("algorithm(name, version, manufacturer) is required: segments "
                    + b.segments.stream().filter(s -> s.description().algorithmType() != SegmentAlgorithmType.MANUAL)
                    .map(s -> String.valueOf(s.description().number())).collect(Collectors.joining(", "))
                    + " are not MANUAL");
        }
        if (b.algorithmName == null && b.manufacturer == null) {
            throw new IllegalArgumentException("algorithm(name, version, manufacturer) is required: the Enhanced General "
                    + "Equipment module needs manufacturer, model name and software version");
        }
    }

    private static void checkSource(VolumeGeometry source) {
        if (source.frameOfReferenceUid() == null) {
            throw new IllegalArgumentException("source volume of series " + source.seriesInstanceUid()
                    + " has no FrameOfReferenceUID; a segmentation needs one");
        }
        if (source.sopClassUid() == null) {
            throw new IllegalArgumentException("source volume of series " + source.seriesInstanceUid()
                    + " has no SOP Class UID; source image references need it");
        }
        if (source.study() == null) {
            throw new IllegalArgumentException("source volume of series " + source.seriesInstanceUid()
                    + " has no study context (patient and study attributes)");
        }
    }

    private static void checkSegments(List<Segmentation.SegmentMask> segments, VolumeGeometry source) {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("at least one segment is required");
        }
        Set<Integer> numbers = new HashSet<>();
        for (Segmentation.SegmentMask segment : segments) {
            int number = segment.description().number();
            if (!numbers.add(number)) {
                throw new IllegalArgumentException("duplicate segment number " + number);
            }
        }
        for (int i = 0; i < segments.size(); i++) {
            int number = segments.get(i).description().number();
            if (number != i + 1) {
                throw new IllegalArgumentException("segment numbers must be 1, 2, 3, ... in the order added; segment "
                        + (i + 1) + " was added with number " + number);
            }
        }
        for (Segmentation.SegmentMask segment : segments) {
            checkGrid(segment, source);
        }
        long voxels = (long) source.columns() * source.rows() * source.slices();
        for (Segmentation.SegmentMask segment : segments) {
            int number = segment.description().number();
            int length = segment.mask().length();
            if (length > voxels) {
                throw new IllegalArgumentException("mask of segment " + number + " sets voxel "
                        + (length - 1) + ", beyond the " + voxels + " voxels of the source volume ("
                        + source.columns() + "x" + source.rows() + "x" + source.slices() + ")");
            }
            if (length == 0) {
                throw new IllegalArgumentException("mask of segment " + number + " (" + segment.description().label()
                        + ") is empty: every segment needs at least one voxel");
            }
        }
    }

    /** A mask given with its own grid must be on the source's grid and in the source's frame of reference. */
    private static void checkGrid(Segmentation.SegmentMask segment, VolumeGeometry source) {
        VoxelMask declared = segment.declared();
        if (declared == null) {
            return;
        }
        int number = segment.description().number();
        String volumeSize = source.columns() + "x" + source.rows() + "x" + source.slices();
        if (!declared.size().equals(volumeSize)) {
            throw new IllegalArgumentException("mask of segment " + number + " is " + declared.size()
                    + " (columns x rows x slices), the source volume of series " + source.seriesInstanceUid() + " is "
                    + volumeSize + ": a mask must be drawn on the source grid");
        }
        if (declared.frameOfReferenceUid() != null
                && !declared.frameOfReferenceUid().equals(source.frameOfReferenceUid())) {
            throw new IllegalArgumentException("mask of segment " + number + " is in frame of reference "
                    + declared.frameOfReferenceUid() + ", the source volume of series " + source.seriesInstanceUid()
                    + " in " + source.frameOfReferenceUid());
        }
    }

    private static void requireSet(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
    }
}
