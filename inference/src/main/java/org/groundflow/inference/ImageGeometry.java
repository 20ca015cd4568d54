package org.groundflow.inference;

import java.util.List;
import org.groundflow.dicomweb.volume.VolumeGeometry;

/**
 * A series' voxel grid as an affine map between voxel index (x, y, z) and patient position (mm, LPS), with its
 * inverse: columns along the row direction, rows along the column direction, slices along the step from the first
 * slice's position to the last's (the slice normal times the slice spacing).
 */
final class ImageGeometry {

    private static final double SAME_AXIS = 1e-4;

    private final int columns;
    private final int rows;
    private final int slices;
    private final double columnSpacing;
    private final double rowSpacing;
    private final double sliceSpacing;
    private final double[] origin;
    private final double[][] axes;    // columns of the index-to-patient matrix: x step, y step, z step (mm)
    private final double[][] inverse; // patient-to-index matrix

    private ImageGeometry(VolumeGeometry g) {
        this.columns = g.columns();
        this.rows = g.rows();
        this.slices = g.slices();
        this.columnSpacing = g.columnSpacing();
        this.rowSpacing = g.rowSpacing();
        this.sliceSpacing = g.sliceSpacing();
        List<double[]> positions = g.slicePositions();
        this.origin = positions.get(0).clone();
        double[] zStep;
        if (slices > 1) {
            double[] last = positions.get(slices - 1);
            zStep = new double[3];
            for (int i = 0; i < 3; i++) {
                zStep[i] = (last[i] - origin[i]) / (slices - 1);
            }
        } else {
            zStep = scale(g.sliceNormal(), sliceSpacing);
        }
        this.axes = new double[][] {scale(g.rowDirection(), columnSpacing), scale(g.columnDirection(), rowSpacing), zStep};
        this.inverse = invert(axes);
    }

    static ImageGeometry of(VolumeGeometry geometry) {
        if (!(geometry.columnSpacing() > 0) || !(geometry.rowSpacing() > 0) || !(geometry.sliceSpacing() > 0)) {
            throw new InferenceException("series " + geometry.seriesInstanceUid() + ": spacing must be positive to "
                    + "resample, got " + geometry.rowSpacing() + " x " + geometry.columnSpacing() + " x "
                    + geometry.sliceSpacing() + " mm");
        }
        return new ImageGeometry(geometry);
    }

    int columns() {
        return columns;
    }

    int rows() {
        return rows;
    }

    int slices() {
        return slices;
    }

    double columnSpacing() {
        return columnSpacing;
    }

    double rowSpacing() {
        return rowSpacing;
    }

    double sliceSpacing() {
        return sliceSpacing;
    }

    /** Patient position of the (continuous) voxel index (x, y, z). */
    double[] position(double x, double y, double z) {
        double[] p = origin.clone();
        for (int i = 0; i < 3; i++) {
            p[i] += x * axes[0][i] + y * axes[1][i] + z * axes[2][i];
        }
        return p;
    }

    /** Continuous voxel index of a patient position. */
    double[] index(double[] p) {
        return direction(p[0] - origin[0], p[1] - origin[1], p[2] - origin[2]);
    }

    /** Change of voxel index for a displacement of (dx, dy, dz) mm in patient space. */
    double[] direction(double dx, double dy, double dz) {
        return new double[] {
            inverse[0][0] * dx + inverse[0][1] * dy + inverse[0][2] * dz,
            inverse[1][0] * dx + inverse[1][1] * dy + inverse[1][2] * dz,
            inverse[2][0] * dx + inverse[2][1] * dy + inverse[2][2] * dz};
    }

    /** Lowest and highest patient z (head-feet) of any voxel centre. */
    double[] zRange() {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (int corner = 0; corner < 8; corner++) {
            double z = position((corner & 1) == 0 ? 0 : columns - 1, (corner & 2) == 0 ? 0 : rows - 1,
                    (corner & 4) == 0 ? 0 : slices - 1)[2];
            low = Math.min(low, z);
            high = Math.max(high, z);
        }
        return new double[] {low, high};
    }

    /** Whether columns, rows and slices already run along the patient's x, y and z (LPS), each the positive way. */
    boolean alongPatientAxes() {
        for (int a = 0; a < 3; a++) {
            double length = Math.sqrt(axes[a][0] * axes[a][0] + axes[a][1] * axes[a][1] + axes[a][2] * axes[a][2]);
            if (Math.abs(axes[a][a] / length - 1) > SAME_AXIS) {
                return false;
            }
        }
        return true;
    }

    private static double[] scale(double[] v, double s) {
        return new double[] {v[0] * s, v[1] * s, v[2] * s};
    }

    /** Inverse of the matrix whose columns are {@code cols[0..2]}. */
    private static double[][] invert(double[][] cols) {
        double a = cols[0][0], b = cols[1][0], c = cols[2][0];
        double d = cols[0][1], e = cols[1][1], f = cols[2][1];
        double g = cols[0][2], h = cols[1][2], k = cols[2][2];
        double det = a * (e * k - f * h) - b * (d * k - f * g) + c * (d * h - e * g);
        if (Math.abs(det) < 1e-12) {
            throw new InferenceException("the series' row, column and slice directions do not span patient space");
        }
        return new double[][] {
            {(e * k - f * h) / det, (c * h - b * k) / det, (b * f - c * e) / det},
            {(f * g - d * k) / det, (a * k - c * g) / det, (c * d - a * f) / det},
            {(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det}};
    }
}
