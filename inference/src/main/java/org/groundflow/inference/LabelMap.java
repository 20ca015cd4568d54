package org.groundflow.inference;

/**
 * A model's answer for a volume: one label per voxel (0 = background) and the model's probability of that label,
 * both in the volume's voxel order ({@code (z * rows + y) * columns + x}).
 */
public record LabelMap(int columns, int rows, int slices, byte[] labels, float[] confidence) {

    public LabelMap {
        long voxels = (long) columns * rows * slices;
        if (columns <= 0 || rows <= 0 || slices <= 0) {
            throw new IllegalArgumentException("label map dimensions must be positive, got " + columns + "x" + rows + "x" + slices);
        }
        if (labels.length != voxels || confidence.length != voxels) {
            throw new IllegalArgumentException("label map of " + columns + "x" + rows + "x" + slices + " needs " + voxels
                    + " labels and confidences, got " + labels.length + " and " + confidence.length);
        }
    }

    public int voxelCount() {
        return labels.length;
    }

    public int label(int index) {
        return labels[index];
    }
}
