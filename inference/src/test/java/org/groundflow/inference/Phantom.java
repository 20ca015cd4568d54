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
 * body, lungs, heart, liver, spleen, spine), spherical nodules and liver lesions, noise; on any grid: any pixel and
 * slice spacing, rows and columns along any patient directions, slices stored along their normal whichever way it
 * points.
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
    private double sliceSpacing = 2.5;
    private double[] rowDirection = {1, 0, 0};
    private double[] columnDirection = {0, 1, 0};

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

    /** Slices {@code mm} apart (2.5 unless told). */
    Phantom sliceSpacing(double mm) {
        sliceSpacing = mm;
        return this;
    }

    /**
     * Columns along {@code row}, rows along {@code column} (unit vectors, LPS); slices stacked along their normal (row
     * x column), so a normal towards the feet stores the slices head first. Slice centres lie on the line through the
     * origin along the normal, {@code z0} to {@code z0 + (slices - 1) x spacing} mm from it towards the head.
     */
    Phantom directions(double[] row, double[] column) {
        rowDirection = row.clone();
        columnDirection = column.clone();
        return this;
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
        double[] normal = {
            rowDirection[1] * columnDirection[2] - rowDirection[2] * columnDirection[1],
            rowDirection[2] * columnDirection[0] - rowDirection[0] * columnDirection[2],
            rowDirection[0] * columnDirection[1] - rowDirection[1] * columnDirection[0]};
        for (int k = 0; k < slices; k++) {
            double along = normal[2] >= 0 ? z0 + sliceSpacing * k : -(z0 + sliceSpacing * (slices - 1 - k));
            positions.add(at(0, 0, along, normal));
            uids.add(Uid.of("2.25.1003." + (k + 1)));
            for (int j = 0; j < rows; j++) {
                for (int i = 0; i < columns; i++) {
                    double[] p = at(i, j, along, normal);
                    voxels[(k * rows + j) * columns + i] = value(anatomy.expectedHu(p[0], p[1], p[2]), noise);
                }
            }
        }
        return new ImageVolume(new VolumeGeometry(STUDY, SERIES, Uid.of("2.25.1004"), Uid.of("1.2.840.10008.5.1.4.1.1.2"), "CT", columns, rows, slices, spacing, spacing, sliceSpacing, rowDirection.clone(), columnDirection.clone(), positions, uids, null), voxels);
    }

    /** Patient position of pixel (column, row) of the slice {@code along} mm along the normal. */
    private double[] at(int column, int row, double along, double[] normal) {
        double[] p = new double[3];
        for (int a = 0; a < 3; a++) {
            p[a] = x(column) * rowDirection[a] + y(row) * columnDirection[a] + along * normal[a];
        }
        return p;
    }

    private static float value(double hu, Random noise) {
        if (hu <= -1000) {
            return -1000f;
        }
        long stored = Math.round(hu + noise.nextGaussian() * 12) + 1024;
        return Math.min(4095, Math.max(0, stored)) - 1024f;
    }
}
