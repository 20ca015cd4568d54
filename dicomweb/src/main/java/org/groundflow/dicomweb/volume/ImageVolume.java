package org.groundflow.dicomweb.volume;

import org.groundflow.dicomweb.StudyContext;
import org.groundflow.dicomweb.Uid;

import java.util.List;
import java.util.Objects;

/**
 * A series decoded into a regular 3D grid of rescaled values (HU for CT), slices ordered along the slice normal.
 * Voxel (x, y, z) lies at {@code voxels[(z * rows + y) * columns + x]}; x runs along the row direction (columns),
 * y along the column direction (rows). Each slice keeps the SOP Instance UID and position of its source image.
 */
public record ImageVolume(
        Uid studyInstanceUid,
        Uid seriesInstanceUid,
        Uid frameOfReferenceUid,
        Uid sopClassUid,
        String modality,
        int columns,
        int rows,
        int slices,
        double rowSpacing,
        double columnSpacing,
        double sliceSpacing,
        double[] rowDirection,
        double[] columnDirection,
        List<double[]> slicePositions,
        List<Uid> sopInstanceUids,
        float[] voxels,
        StudyContext study) {

    public ImageVolume {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        Objects.requireNonNull(voxels, "voxels");
        if (columns <= 0 || rows <= 0 || slices <= 0) {
            throw new IllegalArgumentException("volume dimensions must be positive, got " + columns + "x" + rows + "x" + slices);
        }
        if (voxels.length != (long) columns * rows * slices) {
            throw new IllegalArgumentException("voxel count " + voxels.length + " does not match " + columns + "x" + rows + "x" + slices);
        }
        if (slicePositions.size() != slices || sopInstanceUids.size() != slices) {
            throw new IllegalArgumentException("need one position and one SOP Instance UID per slice (" + slices + "), got "
                    + slicePositions.size() + " and " + sopInstanceUids.size());
        }
        slicePositions = List.copyOf(slicePositions);
        sopInstanceUids = List.copyOf(sopInstanceUids);
    }

    public int voxelsPerSlice() {
        return columns * rows;
    }

    public float voxel(int x, int y, int z) {
        return voxels[(z * rows + y) * columns + x];
    }

    /** Unit normal of the slices (row direction × column direction). */
    public double[] sliceNormal() {
        double[] r = rowDirection;
        double[] c = columnDirection;
        return new double[] {r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]};
    }

    /** Patient coordinate (mm, LPS) of voxel centre (x, y, z). */
    public double[] patientPosition(double x, double y, int z) {
        double[] p = slicePositions.get(z);
        return new double[] {
            p[0] + x * columnSpacing * rowDirection[0] + y * rowSpacing * columnDirection[0],
            p[1] + x * columnSpacing * rowDirection[1] + y * rowSpacing * columnDirection[1],
            p[2] + x * columnSpacing * rowDirection[2] + y * rowSpacing * columnDirection[2]};
    }
}
