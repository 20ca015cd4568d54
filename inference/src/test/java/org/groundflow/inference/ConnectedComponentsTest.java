package org.groundflow.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConnectedComponentsTest {

    private static final int N = 10;

    private static int index(int x, int y, int z) {
        return (z * N + y) * N + x;
    }

    @Test
    void aTwoVoxelGapMakesTwoComponents() {
        byte[] labels = new byte[N * N * N];
        for (int x = 1; x <= 3; x++) {
            labels[index(x, 5, 5)] = 1;
        }
        for (int x = 6; x <= 8; x++) { // voxels 4 and 5 empty
            labels[index(x, 5, 5)] = 1;
        }
        List<int[]> components = ConnectedComponents.of(labels, N, N, N, 1);
        assertThat(components).hasSize(2);
        assertThat(components.get(0)).containsExactly(index(1, 5, 5), index(2, 5, 5), index(3, 5, 5));
        assertThat(components.get(1)).containsExactly(index(6, 5, 5), index(7, 5, 5), index(8, 5, 5));
    }

    @Test
    void cornerNeighboursAcrossSlicesAreOneComponent() {
        byte[] labels = new byte[N * N * N];
        labels[index(2, 2, 2)] = 1;
        labels[index(3, 3, 3)] = 1;
        labels[index(4, 4, 4)] = 1;
        assertThat(ConnectedComponents.of(labels, N, N, N, 1)).hasSize(1);
    }

    @Test
    void otherLabelsNeitherJoinNorCount() {
        byte[] labels = new byte[N * N * N];
        labels[index(1, 1, 1)] = 1;
        labels[index(2, 1, 1)] = 2;
        labels[index(3, 1, 1)] = 1;
        assertThat(ConnectedComponents.of(labels, N, N, N, 1)).hasSize(2);
        assertThat(ConnectedComponents.of(labels, N, N, N, 2)).singleElement()
                .satisfies(c -> assertThat(c).containsExactly(index(2, 1, 1)));
        assertThat(ConnectedComponents.of(new byte[N * N * N], N, N, N, 1)).isEmpty();
    }

    @Test
    void componentsAtTheVolumeEdgesDoNotWrapAround() {
        byte[] labels = new byte[N * N * N];
        labels[index(N - 1, 3, 3)] = 1;
        labels[index(0, 4, 3)] = 1; // next voxel in memory order, but on the opposite side
        assertThat(ConnectedComponents.of(labels, N, N, N, 1)).hasSize(2);
    }

    @Test
    void severalLabelsInOnePassGiveWhatEachGivesAlone() {
        byte[] labels = new byte[N * N * N];
        Random random = new Random(11);
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) (random.nextInt(8) == 0 ? 1 + random.nextInt(3) : 0); // many small components
        }
        int[] values = {3, 1, 7};
        List<List<int[]>> together = ConnectedComponents.of(labels, N, N, N, values);
        assertThat(together).hasSize(3);
        for (int k = 0; k < values.length; k++) {
            List<int[]> alone = ConnectedComponents.of(labels, N, N, N, values[k]);
            assertThat(together.get(k)).as("label %d", values[k]).hasSameSizeAs(alone);
            for (int c = 0; c < alone.size(); c++) {
                assertThat(together.get(k).get(c)).isEqualTo(alone.get(c));
            }
        }
        assertThat(together.get(0)).as("label 3 has components").isNotEmpty();
        assertThat(together.get(2)).as("no voxel has label 7").isEmpty();
        assertThat(ConnectedComponents.of(labels, N, N, N, new int[] {1, 300}).get(1)).as("beyond a byte").isEmpty();
    }

    @Test
    void aLabelAskedForTwiceIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConnectedComponents.of(new byte[N * N * N], N, N, N, new int[] {1, 2, 1}));
        assertThat(e).hasMessage("values must be distinct, got [1, 2, 1]");
    }
}
