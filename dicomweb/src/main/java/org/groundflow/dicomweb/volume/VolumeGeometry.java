package org.groundflow.dicomweb.volume;

import java.util.List;
import java.util.Objects;

import org.groundflow.dicomweb.StudyContext;
import org.groundflow.dicomweb.Uid;

/**
 * Where the slices of a series lie and what they are, without their pixel values: the grid, its placement in patient
 * space, the source instances and the patient and study attributes. Enough to build a SEG or SR on the series and to
 * place findings; read from the headers alone by {@link ImageVolumeReader#readGeometry}. Slice z, voxel (x, y) are
 * as in {@link ImageVolume}.
 */
public record VolumeGeometry(
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
        StudyContext study) {

    public VolumeGeometry {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        if (columns <= 0 || rows <= 0 || slices <= 0) {
            throw new IllegalArgumentException("volume dimensions must be positive, got " + columns + "x" + rows + "x" + slices);
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

    /** Unit normal of the slices (row direction × column direction). */
    public double[] sliceNormal() {
        return SliceGeometry.normal(rowDirection, columnDirection);
    }

    /** Patient coordinate (mm, LPS) of voxel centre (x, y, z). */
    public double[] patientPosition(double x, double y, int z) {
        return position(slicePositions.get(z), rowDirection, columnDirection, columnSpacing, rowSpacing, x, y);
    }

    /** The point {@code x} columns and {@code y} rows from a slice's first voxel centre {@code origin}. */
    static double[] position(double[] origin, double[] rowDirection, double[] columnDirection, double columnSpacing,
                             double rowSpacing, double x, double y) {
        return new double[] {
            origin[0] + x * columnSpacing * rowDirection[0] + y * rowSpacing * columnDirection[0],
            origin[1] + x * columnSpacing * rowDirection[1] + y * rowSpacing * columnDirection[1],
            origin[2] + x * columnSpacing * rowDirection[2] + y * rowSpacing * columnDirection[2]};
    }
}
