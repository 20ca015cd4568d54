package org.groundflow.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.dicomweb.Uid;
import org.junit.jupiter.api.Test;

class MorphometryTest {

    /** A volume of 1.5 x 1.5 x 2.5 mm voxels, value 35 inside a sphere and -850 outside, first voxel at (0, 0, 0). */
    static ImageVolume sphereVolume(int size, int slices, double cx, double cy, double cz, double r) {
        float[] voxels = new float[size * size * slices];
        List<double[]> positions = new ArrayList<>();
        List<Uid> uids = new ArrayList<>();
        for (int k = 0; k < slices; k++) {
            positions.add(new double[] {0, 0, 2.5 * k});
            uids.add(Uid.of("2.25.9." + (k + 1)));
            for (int j = 0; j < size; j++) {
                for (int i = 0; i < size; i++) {
                    double d2 = Math.pow(1.5 * i - cx, 2) + Math.pow(1.5 * j - cy, 2) + Math.pow(2.5 * k - cz, 2);
                    voxels[(k * size + j) * size + i] = d2 <= r * r ? 35f : -850f;
                }
            }
        }
        return new ImageVolume(new VolumeGeometry(Uid.of("2.25.1"), Uid.of("2.25.2"), Uid.of("2.25.3"), Uid.of("2.25.4"), "CT", size, size, slices, 1.5, 1.5, 2.5, new double[] {1, 0, 0}, new double[] {0, 1, 0}, positions, uids, null), voxels);
    }

    static int[] inside(ImageVolume volume) {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < volume.voxels().length; i++) {
            if (volume.voxels()[i] > 0) {
                indices.add(i);
            }
        }
        return indices.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void sphereVolumeDiameterAndIntensity() {
        double r = 15;
        ImageVolume volume = sphereVolume(40, 20, 30, 30, 25, r);
        Measurements m = Morphometry.measure(volume, inside(volume));
        double expectedMl = 4.0 / 3.0 * Math.PI * r * r * r / 1000.0;
        assertThat(m.volumeMl()).isCloseTo(expectedMl, within(0.05 * expectedMl));
        assertThat(m.longestAxialDiameterMm()).isCloseTo(2 * r, within(1.5));
        assertThat(m.meanIntensity()).isEqualTo(35.0);
    }

    @Test
    void smallSphereStaysWithinAPixelOfItsDiameter() {
        double r = 4;
        ImageVolume volume = sphereVolume(20, 10, 15, 15, 12.5, r);
        Measurements m = Morphometry.measure(volume, inside(volume));
        assertThat(m.longestAxialDiameterMm()).isCloseTo(2 * r, within(1.5));
    }

    @Test
    void diameterIsTheLongestInPlaneExtentNotTheHeight() {
        // a 1 x 8-voxel bar along x on one slice: outermost centres 10.5 mm apart
        ImageVolume volume = sphereVolume(20, 4, -100, -100, -100, 1);
        int[] bar = new int[8];
        for (int i = 0; i < 8; i++) {
            bar[i] = (2 * 20 + 5) * 20 + 3 + i;
        }
        assertThat(Morphometry.longestAxialDiameterMm(volume, bar)).isCloseTo(10.5, within(1e-9));
        assertThat(Morphometry.volumeMl(volume, 8)).isCloseTo(8 * 1.5 * 1.5 * 2.5 / 1000, within(1e-12));
    }

    @Test
    void centroidIsInPatientCoordinates() {
        ImageVolume volume = sphereVolume(40, 20, 30, 27, 25, 8);
        double[] c = Morphometry.centroid(volume, inside(volume));
        assertThat(c[0]).isCloseTo(30, within(0.2));
        assertThat(c[1]).isCloseTo(27, within(0.2));
        assertThat(c[2]).isCloseTo(25, within(0.2));
    }

    @Test
    void elongationIsAboutOneForASphereAndGrowsWithATubesLength() {
        ImageVolume sphere = sphereVolume(40, 20, 30, 30, 25, 12);
        assertThat(Morphometry.elongation(sphere, inside(sphere))).isCloseTo(1.0, within(0.1));

        // tubes 10 mm wide, 20 and 40 mm long, diagonal in the slice plane: about 1.15 L / D, twice as much for twice
        // the length
        ImageVolume volume = sphereVolume(48, 14, -100, -100, -100, 1);
        double short_ = Morphometry.elongation(volume, tube(volume, 20, 10));
        double long_ = Morphometry.elongation(volume, tube(volume, 40, 10));
        assertThat(short_).isCloseTo(1.15 * 20 / 10, within(0.2 * 1.15 * 20 / 10));
        assertThat(long_).isCloseTo(1.15 * 40 / 10, within(0.2 * 1.15 * 40 / 10));
        assertThat(long_ / short_).isCloseTo(2, within(0.3));

        // one voxel alone is a box, not a line: finite, and no longer than its spacings allow (2.5 / 1.5)
        assertThat(Morphometry.elongation(volume, new int[] {(5 * 40 + 5) * 40 + 5})).isCloseTo(2.5 / 1.5, within(1e-9));
    }

    /** Voxels of a tube along the in-plane diagonal through (36, 36, 16.25) mm. */
    private static int[] tube(ImageVolume volume, double length, double width) {
        List<Integer> tube = new ArrayList<>();
        for (int k = 0; k < volume.slices(); k++) {
            for (int j = 0; j < volume.rows(); j++) {
                for (int i = 0; i < volume.columns(); i++) {
                    double[] p = volume.patientPosition(i, j, k);
                    double along = (p[0] + p[1] - 72) / Math.sqrt(2);
                    double across = Math.hypot((p[0] - p[1]) / Math.sqrt(2), p[2] - 16.25);
                    if (Math.abs(along) <= length / 2 && across <= width / 2) {
                        tube.add((k * volume.rows() + j) * volume.columns() + i);
                    }
                }
            }
        }
        return tube.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void eigenvaluesOfARotatedDiagonalMatrixAreItsDiagonal() {
        // diag(9, 4, 1) turned by 30 degrees about z
        double c = Math.cos(Math.PI / 6);
        double s = Math.sin(Math.PI / 6);
        double[][] m = {
            {9 * c * c + 4 * s * s, (9 - 4) * c * s, 0},
            {(9 - 4) * c * s, 9 * s * s + 4 * c * c, 0},
            {0, 0, 1}};
        double[] eigen = Morphometry.symmetricEigenvalues(m);
        assertThat(eigen[0]).isCloseTo(9, within(1e-9));
        assertThat(eigen[1]).isCloseTo(4, within(1e-9));
        assertThat(eigen[2]).isCloseTo(1, within(1e-9));
        assertThat(Morphometry.symmetricEigenvalues(new double[][] {{2, 0, 0}, {0, 5, 0}, {0, 0, 3}}))
                .containsExactly(5, 3, 2);
    }
}
