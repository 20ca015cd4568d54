package org.groundflow.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.synthetic.Lesion;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;

/**
 * Test phantoms after inference/training/PHANTOM.md: the demo patient's anatomy ({@link SyntheticStudy#expectedHu}:
 * body, lungs, heart, liver, spleen, spine), spherical nodules and liver lesions, noise; on any grid.
 */
final class Phantom {

    static final Uid STUDY = Uid.of("2.25.1001");
    static final Uid SERIES = Uid.of("2.25.1002");

    record Sphere(int label, double x, double y, double z, double radius) {
    }

    private final int columns;
    private final int rows;
    private final double spacing;
    private final int slices;
    private final double z0;
    private final List<Sphere> lesions = new ArrayList<>();

    private Phantom(int columns, int rows, double spacing, int slices, double z0) {
        this.columns = columns;
        this.rows = rows;
        this.spacing = spacing;
        this.slices = slices;
        this.z0 = z0;
    }

    /** The recipe's grid: 256 x 256 at 1.5 mm, 2.5 mm slices. */
    static Phantom standard(int slices, double z0) {
        return new Phantom(256, 256, 1.5, slices, z0);
    }

    /** Another in-plane grid over the same field of view (needs resampling for the model). */
    static Phantom grid(int size, double spacing, int slices, double z0) {
        return new Phantom(size, size, spacing, slices, z0);
    }

    Phantom nodule(double x, double y, double z, double radius) {
        lesions.add(new Sphere(1, x, y, z, radius));
        return this;
    }

    Phantom liverLesion(double x, double y, double z, double radius) {
        lesions.add(new Sphere(2, x, y, z, radius));
        return this;
    }

    double x(int column) {
        return -(columns - 1) / 2.0 * spacing + column * spacing;
    }

    double y(int row) {
        return -(rows - 1) / 2.0 * spacing + row * spacing;
    }

    ImageVolume build(long seed) {
        Random noise = new Random(seed);
        SyntheticStudy anatomy = SyntheticStudy.builder().variant("inference-test").lesions(lesions.stream()
                .map(s -> new Lesion(s.label(), s.x(), s.y(), s.z(), s.radius())).toList()).build();
        float[] voxels = new float[columns * rows * slices];
        List<double[]> positions = new ArrayList<>();
        List<Uid> uids = new ArrayList<>();
        for (int k = 0; k < slices; k++) {
            double z = z0 + 2.5 * k;
            positions.add(new double[] {x(0), y(0), z});
            uids.add(Uid.of("2.25.1003." + (k + 1)));
            for (int j = 0; j < rows; j++) {
                for (int i = 0; i < columns; i++) {
                    voxels[(k * rows + j) * columns + i] = value(anatomy.expectedHu(x(i), y(j), z), noise);
                }
            }
        }
        return new ImageVolume(new VolumeGeometry(STUDY, SERIES, Uid.of("2.25.1004"), Uid.of("1.2.840.10008.5.1.4.1.1.2"), "CT", columns, rows, slices, spacing, spacing, 2.5, new double[] {1, 0, 0}, new double[] {0, 1, 0}, positions, uids, null), voxels);
    }

    private static float value(double hu, Random noise) {
        if (hu <= -1000) {
            return -1000f;
        }
        long stored = Math.round(hu + noise.nextGaussian() * 12) + 1024;
        return Math.min(4095, Math.max(0, stored)) - 1024f;
    }
}
