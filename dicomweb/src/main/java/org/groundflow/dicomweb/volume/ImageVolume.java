package org.groundflow.dicomweb.volume;

import org.groundflow.dicomweb.StudyContext;
import org.groundflow.dicomweb.Uid;

import java.util.List;
import java.util.Objects;

/**
 * A series decoded into a regular 3D grid of rescaled values (HU for CT), slices ordered along the slice normal.
 * Voxel (x, y, z) lies at {@code voxels[(z * rows + y) * columns + x]}; x runs along the row direction (columns),
 * y along the column direction (rows). Each slice keeps the SOP Instance UID and position of its source image.
 * {@link #geometry()} is the same volume without its voxels.
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
        VolumeGeometry checked = new VolumeGeometry(studyInstanceUid, seriesInstanceUid, frameOfReferenceUid,
                sopClassUid, modality, columns, rows, slices, rowSpacing, columnSpacing, sliceSpacing, rowDirection,
                columnDirection, slicePositions, sopInstanceUids, study);
        Objects.requireNonNull(voxels, "voxels");
        if (voxels.length != (long) columns * rows * slices) {
            throw new IllegalArgumentException("voxel count " + voxels.length + " does not match " + columns + "x" + rows + "x" + slices);
        }
        slicePositions = checked.slicePositions();
        sopInstanceUids = checked.sopInstanceUids();
    }

    /** The voxels {@code voxels} on the grid of {@code geometry}. */
    public ImageVolume(VolumeGeometry geometry, float[] voxels) {
        this(geometry.studyInstanceUid(), geometry.seriesInstanceUid(), geometry.frameOfReferenceUid(),
                geometry.sopClassUid(), geometry.modality(), geometry.columns(), geometry.rows(), geometry.slices(),
                geometry.rowSpacing(), geometry.columnSpacing(), geometry.sliceSpacing(), geometry.rowDirection(),
                geometry.columnDirection(), geometry.slicePositions(), geometry.sopInstanceUids(), voxels,
                geometry.study());
    }

    /** This volume without its voxels. */
    public VolumeGeometry geometry() {
        return new VolumeGeometry(studyInstanceUid, seriesInstanceUid, frameOfReferenceUid, sopClassUid, modality,
                columns, rows, slices, rowSpacing, columnSpacing, sliceSpacing, rowDirection, columnDirection,
                slicePositions, sopInstanceUids, study);
    }

    public int voxelsPerSlice() {
        return columns * rows;
    }

    public float voxel(int x, int y, int z) {
        return voxels[(z * rows + y) * columns + x];
    }

    /** Unit normal of the slices (row direction × column direction). */
    public double[] sliceNormal() {
        return SliceGeometry.normal(rowDirection, columnDirection);
    }

    /** Patient coordinate (mm, LPS) of voxel centre (x, y, z). */
    public double[] patientPosition(double x, double y, int z) {
        return VolumeGeometry.position(slicePositions.get(z), rowDirection, columnDirection, columnSpacing, rowSpacing,
                x, y);
    }
}
