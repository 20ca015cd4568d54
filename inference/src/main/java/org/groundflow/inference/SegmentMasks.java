package org.groundflow.inference;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The segment masks of one read, on the grid of the volume it was read from. */
public record SegmentMasks(int columns, int rows, int slices, List<SegmentMask> masks) {

    public SegmentMasks {
        if (columns <= 0 || rows <= 0 || slices <= 0) {
            throw new IllegalArgumentException("mask dimensions must be positive, got " + columns + "x" + rows + "x" + slices);
        }
        masks = List.copyOf(masks);
        long voxels = (long) columns * rows * slices;
        Set<Integer> numbers = new HashSet<>();
        for (SegmentMask mask : masks) {
            if (!numbers.add(mask.segmentNumber())) {
                throw new IllegalArgumentException("segment number " + mask.segmentNumber() + " appears twice");
            }
            if (mask.voxels().length() > voxels) {
                throw new IllegalArgumentException("segment " + mask.segmentNumber() + " has voxels beyond the "
                        + columns + "x" + rows + "x" + slices + " grid");
            }
        }
    }

    public long voxelCount() {
        return (long) columns * rows * slices;
    }

    public SegmentMask mask(int segmentNumber) {
        return masks.stream().filter(m -> m.segmentNumber() == segmentNumber).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no segment number " + segmentNumber));
    }
}
