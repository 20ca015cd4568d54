package org.groundflow.dicomweb.seg;

import java.util.BitSet;
import java.util.Objects;

import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.dicomweb.Uid;

/**
 * A binary mask together with the grid and frame of reference it was drawn on, so a {@link Segmentation} can refuse
 * a mask that does not belong to its source volume. Bit {@code (z * rows + y) * columns + x} marks voxel (x, y, z).
 * The bits are copied in and out.
 *
 * @param frameOfReferenceUid the frame of reference of the grid; null when unknown (then only the size is checked)
 */
public record VoxelMask(int columns, int rows, int slices, Uid frameOfReferenceUid, BitSet voxels) {

    public VoxelMask {
        if (columns <= 0 || rows <= 0 || slices <= 0) {
            throw new IllegalArgumentException("mask dimensions must be positive, got " + columns + "x" + rows + "x" + slices);
        }
        Objects.requireNonNull(voxels, "voxels");
        long count = (long) columns * rows * slices;
        if (voxels.length() > count) {
            throw new IllegalArgumentException("mask sets voxel " + (voxels.length() - 1) + ", beyond its "
                    + columns + "x" + rows + "x" + slices + " grid");
        }
        voxels = (BitSet) voxels.clone();
    }

    /** A mask on the grid and in the frame of reference of {@code volume}. */
    public static VoxelMask on(VolumeGeometry volume, BitSet voxels) {
        Objects.requireNonNull(volume, "volume");
        return new VoxelMask(volume.columns(), volume.rows(), volume.slices(), volume.frameOfReferenceUid(), voxels);
    }

    /** A mask on the grid and in the frame of reference of a decoded {@code volume}. */
    public static VoxelMask on(ImageVolume volume, BitSet voxels) {
        return on(Objects.requireNonNull(volume, "volume").geometry(), voxels);
    }

    @Override
    public BitSet voxels() {
        return (BitSet) voxels.clone();
    }

    /** The bits without a copy, for the encoder. */
    BitSet bits() {
        return voxels;
    }

    public int voxelCount() {
        return voxels.cardinality();
    }

    /** "256x256x48". */
    public String size() {
        return columns + "x" + rows + "x" + slices;
    }
}
