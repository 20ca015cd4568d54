package org.groundflow.dicomweb.synthetic;

import java.util.List;

/**
 * The fixed demo patient of {@code inference/training/PHANTOM.md} ("The demo instance"): one draw of the training
 * generator's anatomy (superelliptic body with a fat layer, ellipsoid lungs, heart, liver and spleen, spine and aorta)
 * in the portal-venous phase, with geometry and noise-free intensities. Patient coordinates in mm, LPS, z head-wards;
 * the top of the right hemidiaphragm lies at z = 0.
 */
final class Phantom {

    /** Rows and columns of the demo grid; other sizes cover the same 384 mm field of view. */
    static final int SIZE = 256;
    static final double FIELD_OF_VIEW = 384;
    static final double SLICE_SPACING = 2.5;

    static final double AIR_HU = -1000;
    static final double FAT_HU = -100;
    static final double SOFT_TISSUE_HU = 45;
    static final double LUNG_HU = -850;
    static final double LIVER_HU = 110;
    static final double SPLEEN_HU = 115;
    static final double BLOOD_HU = 160;
    static final double BONE_HU = 300;
    static final double CORTEX_HU = 800;
    static final double NODULE_HU = 35;
    static final double LIVER_LESION_HU = 40;
    static final double NOISE_SIGMA = 12;
    static final int RESCALE_INTERCEPT = -1024;

    /** Labels of the anatomy, as the demo model's card numbers them. */
    static final int LUNG = 3;
    static final int LIVER = 4;

    private static final double BODY_X = 165;
    private static final double BODY_Y = 118;
    private static final double BODY_POWER = 2.4;
    private static final double FAT = 12;
    /** Ellipsoids: centre x, y, z and semi-axes x, y, z. */
    private static final double[] RIGHT_LUNG = {-75, -5, 85, 55, 80, 110};
    private static final double[] LEFT_LUNG = {75, -5, 75, 55, 80, 110};
    private static final double[] HEART = {15, -25, 45, 55, 45, 50};
    private static final double[] LIVER_SHAPE = {-55, 0, -65, 85, 70, 70};
    private static final double[] SPLEEN = {85, 45, -55, 28, 45, 45};
    private static final double[] SPINE = {0, 70, 18};
    private static final double[] AORTA = {20, 40, 12};

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
        return superellipse(x, y, 0) <= 1;
    }

    private static boolean inInnerBody(double x, double y) {
        return superellipse(x, y, FAT) <= 1;
    }

    private static double superellipse(double x, double y, double inset) {
        return Math.pow(Math.abs(x / (BODY_X - inset)), BODY_POWER) + Math.pow(Math.abs(y / (BODY_Y - inset)), BODY_POWER);
    }

    static boolean inLiver(double x, double y, double z) {
        return inInnerBody(x, y) && inEllipsoid(x, y, z, LIVER_SHAPE);
    }

    private static boolean inSpine(double x, double y) {
        return inCircle(x, y, SPINE);
    }

    private static boolean inAorta(double x, double y) {
        return inCircle(x, y, AORTA);
    }

    private static boolean inHeart(double x, double y, double z) {
        return inEllipsoid(x, y, z, HEART) && !inLiver(x, y, z);
    }

    static boolean inLung(double x, double y, double z) {
        return (inEllipsoid(x, y, z, RIGHT_LUNG) || inEllipsoid(x, y, z, LEFT_LUNG)) && inInnerBody(x, y)
                && !inLiver(x, y, z) && !inHeart(x, y, z) && !inSpine(x, y) && !inAorta(x, y);
    }

    /** The label (0 background, 1 nodule, 2 liver lesion) at a point; a later lesion wins where lesions overlap. */
    static int label(double x, double y, double z, List<Lesion> lesions) {
        int label = 0;
        for (Lesion lesion : lesions) {
            if (lesion.contains(x, y, z)) {
                label = lesion.label();
            }
        }
        return label;
    }

    /** The anatomy label (0, {@link #LUNG} or {@link #LIVER}) at a point, lesions not counted. */
    static int anatomy(double x, double y, double z) {
        if (inLiver(x, y, z)) {
            return LIVER;
        }
        return inLung(x, y, z) ? LUNG : 0;
    }

    /** Noise-free HU at a point. */
    static double hu(double x, double y, double z, List<Lesion> lesions) {
        if (!inBody(x, y)) {
            return AIR_HU;
        }
        int label = label(x, y, z, lesions);
        if (label != 0) {
            return label == Lesion.NODULE ? NODULE_HU : LIVER_LESION_HU;
        }
        if (inSpine(x, y)) {
            double dx = x - SPINE[0];
            double dy = y - SPINE[1];
            return dx * dx + dy * dy >= sq(SPINE[2] - 2.5) ? CORTEX_HU : BONE_HU;
        }
        if (inAorta(x, y)) {
            return BLOOD_HU;
        }
        if (!inInnerBody(x, y)) {
            return FAT_HU;
        }
        return organHu(x, y, z);
    }

    private static double organHu(double x, double y, double z) {
        if (inLiver(x, y, z)) {
            return LIVER_HU;
        }
        if (inHeart(x, y, z)) {
            return BLOOD_HU;
        }
        if (inLung(x, y, z)) {
            return LUNG_HU;
        }
        return inEllipsoid(x, y, z, SPLEEN) ? SPLEEN_HU : SOFT_TISSUE_HU;
    }

    private static boolean inEllipsoid(double x, double y, double z, double[] e) {
        return sq((x - e[0]) / e[3]) + sq((y - e[1]) / e[4]) + sq((z - e[2]) / e[5]) <= 1;
    }

    private static boolean inCircle(double x, double y, double[] c) {
        return sq(x - c[0]) + sq(y - c[1]) <= sq(c[2]);
    }

    private static double sq(double v) {
        return v * v;
    }
}
