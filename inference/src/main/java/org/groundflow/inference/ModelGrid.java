package org.groundflow.inference;

/**
 * The model's in-plane grid (e.g. 256 x 256 pixels at 1.5 mm) laid over a source slice grid, both centred on the
 * same point. Images go to the model grid by bilinear interpolation; labels come back to source pixels by nearest
 * neighbour. When both grids are the same the mapping is the identity and nothing is resampled.
 */
final class ModelGrid {

    /** HU given to model pixels outside the source field of view. */
    static final float OUTSIDE_HU = -1000f;
    private static final double SAME_SPACING_MM = 1e-3;

    private final int sourceColumns;
    private final int sourceRows;
    private final int columns;
    private final int rows;
    private final double columnScale; // source pixels per model pixel along x
    private final double rowScale;    // along y
    private final boolean identity;

    private ModelGrid(int sourceColumns, int sourceRows, double columnSpacing, double rowSpacing,
                      int columns, int rows, double spacing) {
        this.sourceColumns = sourceColumns;
        this.sourceRows = sourceRows;
        this.columns = columns;
        this.rows = rows;
        this.columnScale = spacing / columnSpacing;
        this.rowScale = spacing / rowSpacing;
        this.identity = sourceColumns == columns && sourceRows == rows
                && Math.abs(columnSpacing - spacing) < SAME_SPACING_MM && Math.abs(rowSpacing - spacing) < SAME_SPACING_MM;
    }

    /**
     * @param columnSpacing source spacing between columns (along x, mm)
     * @param rowSpacing    source spacing between rows (along y, mm)
     */
    static ModelGrid over(int sourceColumns, int sourceRows, double columnSpacing, double rowSpacing,
                          int columns, int rows, double spacing) {
        if (!(columnSpacing > 0) || !(rowSpacing > 0)) {
            throw new InferenceException("pixel spacing must be positive to resample a slice, got "
                    + rowSpacing + " x " + columnSpacing + " mm");
        }
        return new ModelGrid(sourceColumns, sourceRows, columnSpacing, rowSpacing, columns, rows, spacing);
    }

    boolean identity() {
        return identity;
    }

    int size() {
        return columns * rows;
    }

    /** Bilinear HU samples of the source slice starting at {@code offset} in {@code voxels}, on the model grid. */
    void sample(float[] voxels, int offset, float[] target) {
        if (identity) {
            System.arraycopy(voxels, offset, target, 0, size());
            return;
        }
        for (int v = 0; v < rows; v++) {
            double y = sourceCoordinate(v, rows, sourceRows, rowScale);
            for (int u = 0; u < columns; u++) {
                double x = sourceCoordinate(u, columns, sourceColumns, columnScale);
                target[v * columns + u] = bilinear(voxels, offset, x, y);
            }
        }
    }

    /** Model pixel nearest to each source pixel, or -1 where the source pixel lies outside the model grid. */
    int[] sourceToModel() {
        int[] index = new int[sourceColumns * sourceRows];
        for (int y = 0; y < sourceRows; y++) {
            long v = Math.round((rows - 1) / 2.0 + (y - (sourceRows - 1) / 2.0) / rowScale);
            for (int x = 0; x < sourceColumns; x++) {
                long u = Math.round((columns - 1) / 2.0 + (x - (sourceColumns - 1) / 2.0) / columnScale);
                boolean inside = u >= 0 && u < columns && v >= 0 && v < rows;
                index[y * sourceColumns + x] = inside ? (int) (v * columns + u) : -1;
            }
        }
        return index;
    }

    private static double sourceCoordinate(int modelIndex, int modelSize, int sourceSize, double scale) {
        return (sourceSize - 1) / 2.0 + (modelIndex - (modelSize - 1) / 2.0) * scale;
    }

    private float bilinear(float[] voxels, int offset, double x, double y) {
        if (x < -0.5 || y < -0.5 || x > sourceColumns - 0.5 || y > sourceRows - 0.5) {
            return OUTSIDE_HU;
        }
        double cx = Math.min(Math.max(x, 0), sourceColumns - 1);
        double cy = Math.min(Math.max(y, 0), sourceRows - 1);
        int x0 = Math.min((int) cx, sourceColumns - 1);
        int y0 = Math.min((int) cy, sourceRows - 1);
        int x1 = Math.min(x0 + 1, sourceColumns - 1);
        int y1 = Math.min(y0 + 1, sourceRows - 1);
        double fx = cx - x0;
        double fy = cy - y0;
        double top = voxels[offset + y0 * sourceColumns + x0] * (1 - fx) + voxels[offset + y0 * sourceColumns + x1] * fx;
        double bottom = voxels[offset + y1 * sourceColumns + x0] * (1 - fx) + voxels[offset + y1 * sourceColumns + x1] * fx;
        return (float) (top * (1 - fy) + bottom * fy);
    }
}
