package org.groundflow.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.junit.jupiter.api.Test;

/** The model input of a slice with its neighbouring slices (the card's {@code input.neighbourSlices}). */
class ModelInputTest {

    private static final ImageVolume VOLUME = Phantom.standard(5, -5.0).nodule(-80, -20, 0, 9).build(7);

    private static ModelCard.Input input(Integer neighbours, int channels) {
        ModelCard.Input demo = Cards.demo().input();
        return new ModelCard.Input(demo.layout(), channels, demo.rows(), demo.columns(), demo.pixelSpacingMm(),
                demo.spacingPolicy(), demo.windows(), demo.normalisation(), demo.sliceSpacingMm(), neighbours);
    }

    /** The windowed channels of grid slice {@code slice} alone. */
    private static float[] alone(ModelCard.Input input, ModelGrid grid, int slice) {
        float[] hu = new float[grid.size()];
        grid.sample(VOLUME, slice, hu);
        float[] out = new float[input.windows().size() * grid.size()];
        SegmentationModel.window(input, hu, out, 0);
        return out;
    }

    @Test
    void eachSliceSeesTheSliceBelowItselfAndTheSliceAboveTheNearestStandingInAtTheEnds() {
        ModelCard.Input input = input(1, 6);
        ModelGrid grid = ModelGrid.over(VOLUME.geometry(), input);
        assertThat(grid.slices()).isEqualTo(5);
        float[] all = new float[5 * input.channels() * grid.size()];
        SegmentationModel.batchInput(input, grid, VOLUME, 0, 5, all);

        int block = input.windows().size() * grid.size();
        for (int slice = 0; slice < 5; slice++) {
            for (int k = -1; k <= 1; k++) {
                int neighbour = Math.max(0, Math.min(4, slice + k));
                int from = (slice * 3 + k + 1) * block;
                assertThat(Arrays.copyOfRange(all, from, from + block))
                        .as("slice %d, block %d", slice, k + 1).isEqualTo(alone(input, grid, neighbour));
            }
        }
        assertThat(alone(input, grid, 0)).as("the phantom's slices differ").isNotEqualTo(alone(input, grid, 1));

        float[] tail = new float[2 * input.channels() * grid.size()];
        SegmentationModel.batchInput(input, grid, VOLUME, 3, 2, tail);
        assertThat(tail).as("a batch of the last two slices")
                .isEqualTo(Arrays.copyOfRange(all, 3 * input.channels() * grid.size(), all.length));
    }

    @Test
    void aModelOfOneSliceSeesOnlyIt() {
        ModelCard.Input input = input(null, 2);
        ModelGrid grid = ModelGrid.over(VOLUME.geometry(), input);
        float[] batch = new float[2 * input.channels() * grid.size()];
        SegmentationModel.batchInput(input, grid, VOLUME, 2, 2, batch);
        assertThat(Arrays.copyOfRange(batch, 0, 2 * grid.size())).isEqualTo(alone(input, grid, 2));
        assertThat(Arrays.copyOfRange(batch, 2 * grid.size(), batch.length)).isEqualTo(alone(input, grid, 3));
    }
}
