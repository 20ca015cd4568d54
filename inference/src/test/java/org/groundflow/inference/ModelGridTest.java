package org.groundflow.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ModelGridTest {

    @Test
    void sameGridIsTheIdentity() {
        ModelGrid grid = ModelGrid.over(256, 256, 1.5, 1.5, 256, 256, 1.5);
        assertThat(grid.identity()).isTrue();
        float[] slice = new float[256 * 256];
        slice[1234] = 7f;
        float[] target = new float[grid.size()];
        grid.sample(slice, 0, target);
        assertThat(target).isEqualTo(slice);
    }

    @Test
    void finerGridIsInterpolatedAndMappedBack() {
        // 8 x 8 source at 1 mm onto a 4 x 4 model grid at 2 mm: same field of view, same centre
        ModelGrid grid = ModelGrid.over(8, 8, 1.0, 1.0, 4, 4, 2.0);
        assertThat(grid.identity()).isFalse();
        float[] ramp = new float[64];
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                ramp[y * 8 + x] = x; // value = source column
            }
        }
        float[] target = new float[16];
        grid.sample(ramp, 0, target);
        // model column u lies at source column 3.5 + (u - 1.5) * 2
        assertThat(target[0]).isCloseTo(0.5f, within(1e-5f));
        assertThat(target[3]).isCloseTo(6.5f, within(1e-5f));
        int[] back = grid.sourceToModel();
        assertThat(back[0]).isEqualTo(0);
        assertThat(back[7]).isEqualTo(3);
        assertThat(back[63]).isEqualTo(15);
    }

    @Test
    void modelPixelsOutsideTheSourceAreAir() {
        ModelGrid grid = ModelGrid.over(4, 4, 1.0, 1.0, 8, 8, 1.0);
        float[] target = new float[64];
        grid.sample(new float[16], 0, target);
        assertThat(target[0]).isEqualTo(ModelGrid.OUTSIDE_HU);
        assertThat(target[3 * 8 + 3]).isEqualTo(0f);
        assertThat(grid.sourceToModel()[0]).isEqualTo(2 * 8 + 2);
    }
}
