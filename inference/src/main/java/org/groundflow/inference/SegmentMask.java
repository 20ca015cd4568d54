package org.groundflow.inference;

import java.util.BitSet;

/**
 * The voxels of one segment: bit {@code (z * rows + y) * columns + x} of the volume it was drawn on.
 * The bit set is copied in and out, so the mask cannot change after it is made.
 */
public record SegmentMask(int segmentNumber, BitSet voxels) {

    public SegmentMask {
        if (segmentNumber < 1) {
            throw new IllegalArgumentException("segment number must be >= 1, got " + segmentNumber);
        }
        voxels = (BitSet) voxels.clone();
    }

    @Override
    public BitSet voxels() {
        return (BitSet) voxels.clone();
    }

    public int voxelCount() {
        return voxels.cardinality();
    }

    public boolean contains(int voxelIndex) {
        return voxels.get(voxelIndex);
    }
}
