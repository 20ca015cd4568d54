package org.groundflow.dicomweb.synthetic;

import java.util.List;

/** The synthetic chest phantom of {@code inference/training/PHANTOM.md}: geometry and noise-free intensities. */
final class Phantom {

    /** Rows and columns of the demo grid; other sizes cover the same 384 mm field of view. */
    static final int SIZE = 256;
    static final double FIELD_OF_VIEW = 384;
    static final double SLICE_SPACING = 2.5;

    static final double AIR_HU = -1000;
    static final double BODY_HU = 40;
    static final double LUNG_HU = -850;
    static final double SPINE_HU = 400;
    static final double NODULE_HU = 35;
    static final double CYST_HU = 0;
    static final double NOISE_SIGMA = 12;
    static final int RESCALE_INTERCEPT = -1024;

    private Phantom() {
    }

    /** Pixel spacing (mm) of a {@code size} x {@code size} grid over the field of view. */
    static double pixelSpacing(int size) {
        return FIELD_OF_VIEW / size;
    }

    /** Patient x or y (mm) of the centre of the first pixel of a {@code size} x {@code size} grid. */
    static double origin(int size) {
        return -FIELD_OF_VIEW / 2 + pixelSpacing(size) / 2;
    }

    static boolean inBody(double x, double y) {
        return sq(x / 170) + sq(y / 120) <= 1;
    }

    static boolean inLung(double x, double y) {
        return sq((x - 75) / 55) + sq((y + 5) / 80) <= 1 || sq((x + 75) / 55) + sq((y + 5) / 80) <= 1;
    }

    static boolean inSpine(double x, double y) {
        return sq(x) + sq(y - 95) <= sq(18);
    }

    /** The label (0 background, 1 nodule, 2 cyst) at a point; a later lesion wins where lesions overlap. */
    static int label(double x, double y, double z, List<Lesion> lesions) {
        int label = 0;
        for (Lesion lesion : lesions) {
            if (lesion.contains(x, y, z)) {
                label = lesion.label();
            }
        }
        return label;
    }

    /** Noise-free HU at a point. */
    static double hu(double x, double y, double z, List<Lesion> lesions) {
        if (!inBody(x, y)) {
            return AIR_HU;
        }
        int label = label(x, y, z, lesions);
        if (label == Lesion.NODULE) {
            return NODULE_HU;
        }
        if (label == Lesion.CYST) {
            return CYST_HU;
        }
        if (inSpine(x, y)) {
            return SPINE_HU;
        }
        return inLung(x, y) ? LUNG_HU : BODY_HU;
    }

    private static double sq(double v) {
        return v * v;
    }
}
