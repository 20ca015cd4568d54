package org.groundflow.dicomweb.synthetic;

/**
 * A spherical lesion of the demo phantom (PHANTOM.md), centre in patient coordinates (mm, LPS).
 *
 * @param label 1 nodule (35 HU, inside a lung) or 2 liver lesion (40 HU, inside the liver)
 */
public record Lesion(int label, double x, double y, double z, double radius) {

    public static final int NODULE = 1;
    public static final int LIVER_LESION = 2;

    public Lesion {
        if (label != NODULE && label != LIVER_LESION) {
            throw new IllegalArgumentException("label must be " + NODULE + " (nodule) or " + LIVER_LESION
                    + " (liver lesion), got " + label);
        }
        if (!(radius > 0)) {
            throw new IllegalArgumentException("radius must be positive, got " + radius);
        }
    }

    public static Lesion nodule(double x, double y, double z, double radius) {
        return new Lesion(NODULE, x, y, z, radius);
    }

    public static Lesion liverLesion(double x, double y, double z, double radius) {
        return new Lesion(LIVER_LESION, x, y, z, radius);
    }

    /** Noise-free value inside the lesion (HU). */
    public double hu() {
        return label == NODULE ? Phantom.NODULE_HU : Phantom.LIVER_LESION_HU;
    }

    boolean contains(double px, double py, double pz) {
        double dx = px - x;
        double dy = py - y;
        double dz = pz - z;
        return dx * dx + dy * dy + dz * dz <= radius * radius;
    }
}
