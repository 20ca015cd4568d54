package org.groundflow.inference;

import java.util.Arrays;
import java.util.BitSet;
import org.groundflow.dicomweb.volume.ImageVolume;

/** Measurements of a segment (ascending voxel indices of a volume) from the volume's geometry. */
final class Morphometry {

    private Morphometry() {
    }

    static Measurements measure(ImageVolume volume, int[] voxels) {
        double sum = 0;
        for (int v : voxels) {
            sum += volume.voxels()[v];
        }
        return new Measurements(longestAxialDiameterMm(volume, voxels), volumeMl(volume, voxels.length),
                voxels.length == 0 ? 0 : sum / voxels.length);
    }

    static double volumeMl(ImageVolume volume, int voxelCount) {
        return voxelCount * volume.columnSpacing() * volume.rowSpacing() * volume.sliceSpacing() / 1000.0;
    }

    /**
     * Longest distance across the segment on any one slice: the largest distance between the centres of two of its
     * voxels on that slice, in mm (as calipers set on the outermost voxels). On a disk sampled at 1.5 mm this reads
     * about 0.3 mm short of the true diameter.
     */
    static double longestAxialDiameterMm(ImageVolume volume, int[] voxels) {
        if (voxels.length == 0) {
            return 0;
        }
        BitSet members = new BitSet();
        for (int v : voxels) {
            members.set(v);
        }
        int perSlice = volume.voxelsPerSlice();
        double longest = 0;
        int start = 0;
        while (start < voxels.length) {
            int z = voxels[start] / perSlice;
            int end = start;
            while (end < voxels.length && voxels[end] / perSlice == z) {
                end++;
            }
            longest = Math.max(longest, sliceDiameter(volume, voxels, start, end, members));
            start = end;
        }
        return longest;
    }

    /** Largest centre-to-centre distance among the in-slice boundary voxels of {@code voxels[start..end)}. */
    private static double sliceDiameter(ImageVolume volume, int[] voxels, int start, int end, BitSet members) {
        int columns = volume.columns();
        int rows = volume.rows();
        double[] xs = new double[end - start];
        double[] ys = new double[end - start];
        int n = 0;
        for (int i = start; i < end; i++) {
            int v = voxels[i];
            int x = v % columns;
            int y = (v / columns) % rows;
            boolean inner = x > 0 && x < columns - 1 && y > 0 && y < rows - 1
                    && members.get(v - 1) && members.get(v + 1) && members.get(v - columns) && members.get(v + columns);
            if (!inner) {
                xs[n] = x * volume.columnSpacing();
                ys[n] = y * volume.rowSpacing();
                n++;
            }
        }
        int[] hull = convexHull(xs, ys, n);
        double longest = 0;
        for (int i = 0; i < hull.length; i++) {
            for (int j = i + 1; j < hull.length; j++) {
                longest = Math.max(longest, Math.hypot(xs[hull[i]] - xs[hull[j]], ys[hull[i]] - ys[hull[j]]));
            }
        }
        return longest;
    }

    /** Indices of the convex hull's corners (Andrew's monotone chain). */
    private static int[] convexHull(double[] xs, double[] ys, int n) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> xs[a] != xs[b] ? Double.compare(xs[a], xs[b]) : Double.compare(ys[a], ys[b]));
        if (n < 3) {
            return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
        }
        int[] hull = new int[2 * n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            while (k >= 2 && cross(xs, ys, hull[k - 2], hull[k - 1], order[i]) <= 0) {
                k--;
            }
            hull[k++] = order[i];
        }
        for (int i = n - 2, lower = k + 1; i >= 0; i--) {
            while (k >= lower && cross(xs, ys, hull[k - 2], hull[k - 1], order[i]) <= 0) {
                k--;
            }
            hull[k++] = order[i];
        }
        return Arrays.copyOf(hull, k - 1);
    }

    private static double cross(double[] xs, double[] ys, int o, int a, int b) {
        return (xs[a] - xs[o]) * (ys[b] - ys[o]) - (ys[a] - ys[o]) * (xs[b] - xs[o]);
    }

    /**
     * How much longer the segment is along its longest principal axis than along its shortest: the square root of the
     * largest over the smallest eigenvalue of the covariance of its voxels in patient space (mm), each voxel counted as
     * a small box (its spacing squared over 12 along each of the volume's axes), so that a segment one slice thick is
     * not flat by construction. About 1 for a sphere; about 1.15 L / D for a tube L long and D wide and 0.87 D / t for
     * a disk D wide and t thick.
     */
    static double elongation(ImageVolume volume, int[] voxels) {
        int columns = volume.columns();
        int perSlice = volume.voxelsPerSlice();
        double[] sum = new double[3];
        double[] products = new double[6]; // xx, yy, zz, xy, yz, xz
        for (int v : voxels) {
            double[] p = volume.patientPosition(v % columns, (v % perSlice) / columns, v / perSlice);
            for (int a = 0; a < 3; a++) {
                sum[a] += p[a];
            }
            products[0] += p[0] * p[0];
            products[1] += p[1] * p[1];
            products[2] += p[2] * p[2];
            products[3] += p[0] * p[1];
            products[4] += p[1] * p[2];
            products[5] += p[0] * p[2];
        }
        int n = voxels.length;
        double[] mean = {sum[0] / n, sum[1] / n, sum[2] / n};
        double[][] covariance = new double[3][3];
        int[][] pairs = {{0, 0}, {1, 1}, {2, 2}, {0, 1}, {1, 2}, {0, 2}};
        for (int k = 0; k < 6; k++) {
            int a = pairs[k][0];
            int b = pairs[k][1];
            covariance[a][b] = products[k] / n - mean[a] * mean[b];
            covariance[b][a] = covariance[a][b];
        }
        addBox(covariance, volume.rowDirection(), volume.columnSpacing());
        addBox(covariance, volume.columnDirection(), volume.rowSpacing());
        addBox(covariance, volume.sliceNormal(), volume.sliceSpacing());
        double[] eigen = symmetricEigenvalues(covariance);
        return Math.sqrt(eigen[0] / eigen[2]);
    }

    /** Adds a uniform extent of {@code spacing} along the unit vector {@code axis} to a covariance. */
    private static void addBox(double[][] covariance, double[] axis, double spacing) {
        double variance = spacing * spacing / 12;
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                covariance[a][b] += variance * axis[a] * axis[b];
            }
        }
    }

    /**
     * Eigenvalues of a symmetric 3 x 3 matrix, largest first, in closed form (the characteristic polynomial's three
     * real roots written with the cosine of a third of an angle).
     */
    static double[] symmetricEigenvalues(double[][] m) {
        double offDiagonal = m[0][1] * m[0][1] + m[1][2] * m[1][2] + m[0][2] * m[0][2];
        if (offDiagonal == 0) {
            double[] diagonal = {m[0][0], m[1][1], m[2][2]};
            Arrays.sort(diagonal);
            return new double[] {diagonal[2], diagonal[1], diagonal[0]};
        }
        double q = (m[0][0] + m[1][1] + m[2][2]) / 3;
        double spread = (m[0][0] - q) * (m[0][0] - q) + (m[1][1] - q) * (m[1][1] - q) + (m[2][2] - q) * (m[2][2] - q)
                + 2 * offDiagonal;
        double p = Math.sqrt(spread / 6);
        double[][] b = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                b[i][j] = (m[i][j] - (i == j ? q : 0)) / p;
            }
        }
        double determinant = b[0][0] * (b[1][1] * b[2][2] - b[1][2] * b[2][1])
                - b[0][1] * (b[1][0] * b[2][2] - b[1][2] * b[2][0])
                + b[0][2] * (b[1][0] * b[2][1] - b[1][1] * b[2][0]);
        double angle = Math.acos(Math.max(-1, Math.min(1, determinant / 2))) / 3;
        double largest = q + 2 * p * Math.cos(angle);
        double smallest = q + 2 * p * Math.cos(angle + 2 * Math.PI / 3);
        return new double[] {largest, 3 * q - largest - smallest, smallest};
    }

    /** Patient position (mm) of the segment's centroid, interpolating between slice positions. */
    static double[] centroid(ImageVolume volume, int[] voxels) {
        double sx = 0;
        double sy = 0;
        double sz = 0;
        int columns = volume.columns();
        int perSlice = volume.voxelsPerSlice();
        for (int v : voxels) {
            sx += v % columns;
            sy += (v % perSlice) / columns;
            sz += v / perSlice;
        }
        double x = sx / voxels.length;
        double y = sy / voxels.length;
        double z = sz / voxels.length;
        int below = (int) Math.floor(z);
        int above = Math.min(below + 1, volume.slices() - 1);
        double f = z - below;
        double[] a = volume.patientPosition(x, y, below);
        double[] b = volume.patientPosition(x, y, above);
        return new double[] {a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])};
    }
}
