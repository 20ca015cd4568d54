package org.groundflow.dicomweb.volume;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Checks that slices (single-frame images or frames) form one regular stack and orders them along the normal. */
final class SliceGeometry {

    private static final double ORIENTATION_TOLERANCE = 1e-3;
    private static final double DUPLICATE_TOLERANCE_MM = 1e-3;
    private static final double IN_PLANE_TOLERANCE_MM = 0.1;
    private static final double SPACING_TOLERANCE_MM = 0.01;
    private static final double SPACING_TOLERANCE_RELATIVE = 0.05;

    private SliceGeometry() {
    }

    /** The slices sorted along the normal, after every consistency check. */
    static List<SliceHeader> sorted(List<SliceHeader> slices) {
        SliceHeader first = slices.get(0);
        String series = first.seriesInstanceUid();
        for (SliceHeader slice : slices) {
            requireSame(series, "SeriesInstanceUID", first.seriesInstanceUid(), slice);
            requireSame(series, "StudyInstanceUID", first.studyInstanceUid(), slice.studyInstanceUid(), slice);
            requireSame(series, "FrameOfReferenceUID", first.frameOfReferenceUid(), slice.frameOfReferenceUid(), slice);
            if (slice.rows() != first.rows() || slice.columns() != first.columns()) {
                throw new VolumeException(series, "inconsistent sizes: " + slice.label() + " is "
                        + slice.columns() + "x" + slice.rows() + ", " + first.label() + " is "
                        + first.columns() + "x" + first.rows());
            }
            if (!close(slice.pixelSpacing(), first.pixelSpacing(), 1e-4)) {
                throw new VolumeException(series, "inconsistent pixel spacing: " + slice.label()
                        + " has " + Arrays.toString(slice.pixelSpacing()) + ", " + first.label()
                        + " has " + Arrays.toString(first.pixelSpacing()));
            }
            if (!close(slice.orientation(), first.orientation(), ORIENTATION_TOLERANCE)) {
                throw new VolumeException(series, "mixed orientations: " + slice.label() + " has "
                        + Arrays.toString(slice.orientation()) + ", " + first.label() + " has "
                        + Arrays.toString(first.orientation()));
            }
        }
        if (first.rows() <= 0 || first.columns() <= 0) {
            throw new VolumeException(series, first.label() + " has no valid Rows/Columns");
        }
        double[] normal = normal(first.rowDirection(), first.columnDirection());
        if (Math.abs(dot(normal, normal) - 1) > 0.01) {
            throw new VolumeException(series, first.label() + " has an ImageOrientationPatient whose row and column "
                    + "directions are not orthogonal unit vectors: " + Arrays.toString(first.orientation()));
        }
        List<SliceHeader> sorted = new ArrayList<>(slices);
        sorted.sort(Comparator.comparingDouble(slice -> dot(slice.position(), normal)));
        requireStacked(series, sorted, first);
        requireEvenSpacing(series, sorted, normal);
        return sorted;
    }

    /** Distance between slice centres along the normal; from the header when there is one slice. */
    static double spacing(List<SliceHeader> sorted) {
        if (sorted.size() == 1) {
            SliceHeader only = sorted.get(0);
            double fromHeader = only.spacingBetweenSlices() > 0 ? only.spacingBetweenSlices() : only.sliceThickness();
            return fromHeader > 0 ? fromHeader : 1.0;
        }
        double[] normal = normal(sorted.get(0).rowDirection(), sorted.get(0).columnDirection());
        double span = dot(sorted.get(sorted.size() - 1).position(), normal) - dot(sorted.get(0).position(), normal);
        return span / (sorted.size() - 1);
    }

    private static void requireStacked(String series, List<SliceHeader> sorted, SliceHeader reference) {
        double[] origin = sorted.get(0).position();
        double[] row = reference.rowDirection();
        double[] column = reference.columnDirection();
        for (SliceHeader slice : sorted) {
            double[] offset = minus(slice.position(), origin);
            if (Math.abs(dot(offset, row)) > IN_PLANE_TOLERANCE_MM || Math.abs(dot(offset, column)) > IN_PLANE_TOLERANCE_MM) {
                throw new VolumeException(series, slice.label()
                        + " is shifted within the image plane; slices must stack along the normal (gantry tilt?)");
            }
        }
    }

    private static void requireEvenSpacing(String series, List<SliceHeader> sorted, double[] normal) {
        if (sorted.size() < 2) {
            return;
        }
        double[] gaps = new double[sorted.size() - 1];
        for (int i = 0; i < gaps.length; i++) {
            gaps[i] = dot(sorted.get(i + 1).position(), normal) - dot(sorted.get(i).position(), normal);
            if (gaps[i] < DUPLICATE_TOLERANCE_MM) {
                throw new VolumeException(series, "duplicated position: " + sorted.get(i).label()
                        + " and " + sorted.get(i + 1).label() + " lie at the same place along the normal");
            }
        }
        double[] ordered = gaps.clone();
        Arrays.sort(ordered);
        double median = ordered[ordered.length / 2];
        double tolerance = Math.max(SPACING_TOLERANCE_MM, SPACING_TOLERANCE_RELATIVE * median);
        for (int i = 0; i < gaps.length; i++) {
            if (Math.abs(gaps[i] - median) > tolerance) {
                throw new VolumeException(series, String.format(java.util.Locale.ROOT,
                        "uneven slice spacing: %.3f mm between %s and %s, %.3f mm elsewhere%s",
                        gaps[i], sorted.get(i).label(), sorted.get(i + 1).label(), median,
                        gaps[i] > median ? " (missing slice?)" : ""));
            }
        }
    }

    private static void requireSame(String series, String name, String expected, SliceHeader slice) {
        requireSame(series, name, expected, slice.seriesInstanceUid(), slice);
    }

    private static void requireSame(String series, String name, String expected, String actual, SliceHeader slice) {
        if (!expected.equals(actual)) {
            throw new VolumeException(series, "mixed " + name + ": " + slice.label() + " has '"
                    + actual + "', expected '" + expected + "'");
        }
    }

    static double[] normal(double[] r, double[] c) {
        return new double[] {r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]};
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double[] minus(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    private static boolean close(double[] a, double[] b, double tolerance) {
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > tolerance) {
                return false;
            }
        }
        return true;
    }
}
