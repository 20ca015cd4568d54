package org.groundflow.dicomweb.volume;

import org.groundflow.dicomweb.StudyContext;
import org.groundflow.dicomweb.Uid;

import java.util.List;
import java.util.Objects;

/**
 * A series decoded into a regular 3D grid of rescaled values (HU for CT), slices ordered along the slice normal.
 * Voxel (x, y, z) lies at {@code voxels[(z * rows + y) * columns + x]}; x runs along the row direction (columns),
 * y along the column direction (rows). Each slice keeps the SOP Instance UID and position of its source image.
 * Everything but the voxels is its {@link #geometry()}; the accessors below hand that on.
 */
public record ImageVolume(VolumeGeometry geometry, float[] voxels) {

    public ImageVolume {
        Objects.requireNonNull(geometry, "geometry");
        Objects.requireNonNull(voxels, "voxels");
        if (voxels.length != (long) geometry.columns() * geometry.rows() * geometry.slices()) {
            throw new IllegalArgumentException("voxel count " + voxels.length + " does not match " + geometry.columns()
                    + "x" + geometry.rows() + "x" + geometry.slices());
        }
    }

    public Uid studyInstanceUid() {
        return geometry.studyInstanceUid();
    }

    public Uid seriesInstanceUid() {
        return geometry.seriesInstanceUid();
    }

    public Uid frameOfReferenceUid() {
        return geometry.frameOfReferenceUid();
    }

    public Uid sopClassUid() {
        return geometry.sopClassUid();
    }

    public String modality() {
        return geometry.modality();
    }

    public int columns() {
        return geometry.columns();
    }

    public int rows() {
        return geometry.rows();
    }

    public int slices() {
        return geometry.slices();
    }

    public double rowSpacing() {
        return geometry.rowSpacing();
    }

    public double columnSpacing() {
        return geometry.columnSpacing();
    }

    public double sliceSpacing() {
        return geometry.sliceSpacing();
    }

    public double[] rowDirection() {
        return geometry.rowDirection();
    }

    public double[] columnDirection() {
        return geometry.columnDirection();
    }

    public List<double[]> slicePositions() {
        return geometry.slicePositions();
    }

    public List<Uid> sopInstanceUids() {
        return geometry.sopInstanceUids();
    }

    public StudyContext study() {
        return geometry.study();
    }

    public int voxelsPerSlice() {
        return geometry.voxelsPerSlice();
    }

    public float voxel(int x, int y, int z) {
        return voxels[(z * geometry.rows() + y) * geometry.columns() + x];
    }

    /** Unit normal of the slices (row direction × column direction). */
    public double[] sliceNormal() {
        return geometry.sliceNormal();
    }

    /** Patient coordinate (mm, LPS) of voxel centre (x, y, z). */
    public double[] patientPosition(double x, double y, int z) {
        return geometry.patientPosition(x, y, z);
    }
}
