package org.groundflow.inference;

import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.VolumeGeometry;

/**
 * The model's canonical grid laid over a series in patient space: axial slices on the patient's LPS axes (columns run
 * to the patient's left, rows to the posterior, slices to the head), {@code columns x rows} pixels of the card's
 * in-plane spacing, centred on the centre of the series, and slices at the card's {@code sliceSpacingMm} (else at the
 * series' own slice spacing) spanning every source voxel along the head-feet axis. Whatever way the series runs
 * (rows or columns flipped, rotated, slices stored head first or feet first, tilted) the model sees the same
 * anatomy the same way up.
 *
 * <p>Images go to the canonical grid by trilinear interpolation of the source voxels (values below
 * {@link #PADDING_HU}, such as a Pixel Padding Value outside the reconstructed circle, count as air); labels come back
 * per source voxel: each source voxel takes the label of the canonical voxel nearest to its centre, so the mask is on
 * the source pixels exactly. When the two grids coincide (same axes, spacing, size and slices) nothing is resampled.
 */
final class ModelGrid {

    /** HU given to model pixels outside the series. */
    static final float OUTSIDE_HU = -1000f;
    /** Source values below this (HU) are read as air: padding outside the field of view, not tissue. */
    static final float PADDING_HU = -1024f;
    private static final double SAME = 1e-4;

    private final ImageGeometry source;
    private final int columns;
    private final int rows;
    private final int slices;
    private final double spacing;
    private final double sliceSpacing;
    private final double[] origin; // patient position of canonical voxel (0, 0, 0)
    private final boolean identity;

    private ModelGrid(ImageGeometry source, int columns, int rows, int slices, double spacing, double sliceSpacing,
                      double[] origin) {
        this.source = source;
        this.columns = columns;
        this.rows = rows;
        this.slices = slices;
        this.spacing = spacing;
        this.sliceSpacing = sliceSpacing;
        this.origin = origin;
        this.identity = identical();
    }

    /** The canonical grid of {@code input} over the series of {@code geometry}. */
    static ModelGrid over(VolumeGeometry geometry, ModelCard.Input input) {
        return over(geometry, input.columns(), input.rows(), input.pixelSpacingMm(), input.sliceSpacingMm());
    }

    /** @param sliceSpacingMm null: the series' own slice spacing */
    static ModelGrid over(VolumeGeometry geometry, int columns, int rows, double spacing, Double sliceSpacingMm) {
        ImageGeometry source = ImageGeometry.of(geometry);
        double sliceSpacing = sliceSpacingMm != null ? sliceSpacingMm : source.sliceSpacing();
        double[] centre = source.position((geometry.columns() - 1) / 2.0, (geometry.rows() - 1) / 2.0,
                (geometry.slices() - 1) / 2.0);
        double[] zRange = source.zRange();
        int slices = Math.max(1, (int) Math.round((zRange[1] - zRange[0]) / sliceSpacing - 1e-6) + 1);
        double[] origin = {
            centre[0] - (columns - 1) / 2.0 * spacing,
            centre[1] - (rows - 1) / 2.0 * spacing,
            (zRange[0] + zRange[1]) / 2.0 - (slices - 1) / 2.0 * sliceSpacing};
        return new ModelGrid(source, columns, rows, slices, spacing, sliceSpacing, origin);
    }

    private boolean identical() {
        if (!source.alongPatientAxes() || source.columns() != columns || source.rows() != rows || source.slices() != slices) {
            return false;
        }
        double[] first = source.index(origin);
        return Math.abs(source.columnSpacing() - spacing) < SAME && Math.abs(source.rowSpacing() - spacing) < SAME
                && Math.abs(source.sliceSpacing() - sliceSpacing) < SAME
                && Math.abs(first[0]) < SAME && Math.abs(first[1]) < SAME && Math.abs(first[2]) < SAME;
    }

    boolean identity() {
        return identity;
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

    /** Pixels per canonical slice. */
    int size() {
        return columns * rows;
    }

    /** Patient position (mm, LPS) of canonical voxel (u, v, w). */
    double[] patientPosition(double u, double v, double w) {
        return new double[] {origin[0] + u * spacing, origin[1] + v * spacing, origin[2] + w * sliceSpacing};
    }

    /** HU of canonical slice {@code w}, interpolated from the volume, into {@code target} ({@link #size()} values). */
    void sample(ImageVolume volume, int w, float[] target) {
        float[] voxels = volume.voxels();
        if (identity) {
            System.arraycopy(voxels, w * size(), target, 0, size());
            return;
        }
        double[] step = source.direction(spacing, 0, 0);
        for (int v = 0; v < rows; v++) {
            double[] start = source.index(patientPosition(0, v, w));
            for (int u = 0; u < columns; u++) {
                target[v * columns + u] = trilinear(voxels, start[0] + u * step[0], start[1] + u * step[1],
                        start[2] + u * step[2]);
            }
        }
    }

    /**
     * The canonical labels and probabilities ({@code (w * rows + v) * columns + u}) on the source voxels: each takes
     * the canonical voxel nearest its centre; a source voxel beyond the canonical grid is background. When the two
     * grids coincide the map holds the arrays given: the caller hands them over and keeps no reference.
     */
    LabelMap back(byte[] labels, float[] confidence) {
        int sc = source.columns();
        int sr = source.rows();
        int ss = source.slices();
        if (identity) {
            return new LabelMap(sc, sr, ss, labels, confidence);
        }
        byte[] out = new byte[sc * sr * ss];
        float[] best = new float[out.length];
        double[] step = canonicalStep(1, 0, 0);
        for (int z = 0; z < ss; z++) {
            for (int y = 0; y < sr; y++) {
                double[] start = canonicalIndex(source.position(0, y, z));
                int to = (z * sr + y) * sc;
                for (int x = 0; x < sc; x++) {
                    long u = Math.round(start[0] + x * step[0]);
                    long v = Math.round(start[1] + x * step[1]);
                    long w = Math.round(start[2] + x * step[2]);
                    if (u >= 0 && u < columns && v >= 0 && v < rows && w >= 0 && w < slices) {
                        int from = (int) ((w * rows + v) * columns + u);
                        out[to + x] = labels[from];
                        best[to + x] = confidence[from];
                    } else {
                        best[to + x] = 1f;
                    }
                }
            }
        }
        return new LabelMap(sc, sr, ss, out, best);
    }

    /** Continuous canonical index (u, v, w) of a patient position. */
    double[] canonicalIndex(double[] p) {
        return new double[] {(p[0] - origin[0]) / spacing, (p[1] - origin[1]) / spacing, (p[2] - origin[2]) / sliceSpacing};
    }

    /** Change of the canonical index for a step of (dx, dy, dz) source voxels. */
    private double[] canonicalStep(double dx, double dy, double dz) {
        double[] a = source.position(0, 0, 0);
        double[] b = source.position(dx, dy, dz);
        return new double[] {(b[0] - a[0]) / spacing, (b[1] - a[1]) / spacing, (b[2] - a[2]) / sliceSpacing};
    }

    private float trilinear(float[] voxels, double x, double y, double z) {
        int sc = source.columns();
        int sr = source.rows();
        int ss = source.slices();
        if (x < -0.5 || y < -0.5 || z < -0.5 || x > sc - 0.5 || y > sr - 0.5 || z > ss - 0.5) {
            return OUTSIDE_HU;
        }
        double cx = Math.min(Math.max(x, 0), sc - 1);
        double cy = Math.min(Math.max(y, 0), sr - 1);
        double cz = Math.min(Math.max(z, 0), ss - 1);
        int x0 = Math.min((int) cx, sc - 1);
        int y0 = Math.min((int) cy, sr - 1);
        int z0 = Math.min((int) cz, ss - 1);
        int x1 = Math.min(x0 + 1, sc - 1);
        int y1 = Math.min(y0 + 1, sr - 1);
        int z1 = Math.min(z0 + 1, ss - 1);
        double fx = cx - x0;
        double fy = cy - y0;
        double fz = cz - z0;
        double near = bilinear(voxels, z0, x0, x1, y0, y1, fx, fy);
        double far = fz == 0 ? near : bilinear(voxels, z1, x0, x1, y0, y1, fx, fy);
        return (float) (near * (1 - fz) + far * fz);
    }

    private double bilinear(float[] voxels, int z, int x0, int x1, int y0, int y1, double fx, double fy) {
        int sc = source.columns();
        int base = z * source.rows() * sc;
        double top = value(voxels, base + y0 * sc + x0) * (1 - fx) + value(voxels, base + y0 * sc + x1) * fx;
        double bottom = value(voxels, base + y1 * sc + x0) * (1 - fx) + value(voxels, base + y1 * sc + x1) * fx;
        return top * (1 - fy) + bottom * fy;
    }

    private static float value(float[] voxels, int index) {
        float hu = voxels[index];
        return hu < PADDING_HU ? OUTSIDE_HU : hu;
    }
}
