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
