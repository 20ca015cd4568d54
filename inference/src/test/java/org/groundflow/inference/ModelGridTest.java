package org.groundflow.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.groundflow.dicomweb.testing.SphereSeries;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.ImageVolumeReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The canonical grid round trip: a known sphere written as DICOM in many geometries and encodings, read by
 * {@link ImageVolumeReader}, put on the model's axial LPS grid, segmented there by a threshold (a stand-in for the
 * model) and mapped back per source voxel is found within one voxel of where the DICOM places it.
 */
class ModelGridTest {

    private static final double[] ROW = {1, 0, 0};
    private static final double[] COLUMN = {0, 1, 0};

    static Stream<Arguments> geometries() {
        SphereSeries base = SphereSeries.axial();
        double[][] oblique = SphereSeries.tilted(ROW, COLUMN, 15, 10);
        return Stream.of(
                Arguments.of("axial 4 mm, signed, padded", base, 2.0),
                Arguments.of("slices as acquired", base, null),
                Arguments.of("fine 0.8 mm pixels, 1.25 mm slices", base.withGrid(256, 256, 48, 0.8, 0.8, 1.25, 1.25), 1.5),
                Arguments.of("thick 5 mm slices, 6 mm apart", base.withGrid(64, 64, 16, 3.5, 3.5, 6, 5), 2.0),
                Arguments.of("rows and columns spaced differently", base.withGrid(80, 48, 24, 3, 5, 4, 4), 2.0),
                Arguments.of("columns run to the patient's right",
                        base.withDirections(new double[] {-1, 0, 0}, COLUMN), 2.0),
                Arguments.of("rows run to the anterior (slices head to feet)",
                        base.withDirections(ROW, new double[] {0, -1, 0}), 2.0),
                Arguments.of("rotated a quarter turn", base.withDirections(COLUMN, ROW), 2.0),
                Arguments.of("written head first, unsigned with intercept -1024",
                        base.withEncoding(true, true), 2.0),
                Arguments.of("oblique 15° and 10°", base.withDirections(oblique[0], oblique[1]), 2.0),
                Arguments.of("oblique, flipped, unsigned, head first",
                        base.withDirections(oblique[1], oblique[0]).withEncoding(true, true), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void aSphereIsFoundWithinOneVoxelOfItsDicomPosition(String name, SphereSeries series, Double sliceSpacing,
                                                        @TempDir Path dir) {
        ImageVolume volume = ImageVolumeReader.read(series.writeTo(dir));
        ModelGrid grid = ModelGrid.over(volume.geometry(), 128, 128, 2.5, sliceSpacing);

        byte[] labels = new byte[grid.size() * grid.slices()];
        float[] hu = new float[grid.size()];
        double[] canonical = new double[3];
        int inside = 0;
        for (int w = 0; w < grid.slices(); w++) {
            grid.sample(volume, w, hu);
            for (int i = 0; i < hu.length; i++) {
                assertThat(hu[i]).as("no padding reaches the model").isGreaterThanOrEqualTo(-1024f);
                if (hu[i] > SphereSeries.SPHERE_HU / 2) {
                    labels[w * grid.size() + i] = 1;
                    double[] p = grid.patientPosition(i % grid.columns(), i / grid.columns(), w);
                    for (int a = 0; a < 3; a++) {
                        canonical[a] += p[a];
                    }
                    inside++;
                }
            }
        }
        assertThat(inside).as("sphere voxels on the model grid").isPositive();
        double modelVoxel = Math.max(2.5, sliceSpacing == null ? volume.sliceSpacing() : sliceSpacing);
        assertThat(distance(scale(canonical, 1.0 / inside), series.sphere()))
                .as("the model sees the sphere at its patient position").isLessThan(modelVoxel);

        LabelMap back = grid.back(labels, new float[labels.length]);
        assertThat(back.voxelCount()).isEqualTo(volume.voxels().length);
        double sourceVoxel = Math.max(volume.sliceSpacing(), Math.max(volume.rowSpacing(), volume.columnSpacing()));
        double[] centroid = new double[3];
        int found = 0;
        int missed = 0;
        int stray = 0;
        for (int z = 0; z < volume.slices(); z++) {
            for (int y = 0; y < volume.rows(); y++) {
                for (int x = 0; x < volume.columns(); x++) {
                    double[] p = volume.patientPosition(x, y, z);
                    double r = distance(p, series.sphere());
                    boolean labelled = back.label((z * volume.rows() + y) * volume.columns() + x) == 1;
                    if (labelled) {
                        found++;
                        for (int a = 0; a < 3; a++) {
                            centroid[a] += p[a];
                        }
                        stray += r > series.radius() + sourceVoxel + modelVoxel ? 1 : 0;
                    } else if (r < series.radius() - sourceVoxel - modelVoxel) {
                        missed++;
                    }
                }
            }
        }
        assertThat(found).as("source voxels labelled").isPositive();
        assertThat(distance(scale(centroid, 1.0 / found), series.sphere()))
                .as("the mask on the source pixels is centred on the sphere").isLessThan(sourceVoxel);
        assertThat(stray).as("labelled source voxels far outside the sphere").isZero();
        assertThat(missed).as("source voxels deep inside the sphere left unlabelled").isZero();
    }

    @Test
    void anAxialSeriesOnTheModelsOwnGridIsNotResampled(@TempDir Path dir) {
        SphereSeries series = SphereSeries.axial().withGrid(64, 64, 12, 2.5, 2.5, 2.5, 2.5);
        ImageVolume volume = ImageVolumeReader.read(series.writeTo(dir));
        ModelGrid grid = ModelGrid.over(volume.geometry(), 64, 64, 2.5, null);

        assertThat(grid.identity()).isTrue();
        float[] slice = new float[grid.size()];
        grid.sample(volume, 5, slice);
        for (int i = 0; i < slice.length; i++) {
            assertThat(slice[i]).isEqualTo(volume.voxels()[5 * grid.size() + i]);
        }
        assertThat(ModelGrid.over(volume.geometry(), 64, 64, 2.5, 1.0).identity()).isFalse();
    }

    @Test
    void modelPixelsOutsideTheSeriesAreAir(@TempDir Path dir) {
        ImageVolume volume = ImageVolumeReader.read(SphereSeries.axial().writeTo(dir));
        ModelGrid grid = ModelGrid.over(volume.geometry(), 256, 256, 2.5, null);
        float[] slice = new float[grid.size()];
        grid.sample(volume, 0, slice);
        assertThat(slice[0]).isEqualTo(ModelGrid.OUTSIDE_HU);
        assertThat(List.of(grid.slices())).containsExactly(volume.slices());
    }

    private static double distance(double[] a, double[] b) {
        return Math.sqrt(Math.pow(a[0] - b[0], 2) + Math.pow(a[1] - b[1], 2) + Math.pow(a[2] - b[2], 2));
    }

    private static double[] scale(double[] v, double s) {
        return new double[] {v[0] * s, v[1] * s, v[2] * s};
    }
}
