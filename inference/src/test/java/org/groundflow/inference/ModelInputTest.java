package org.groundflow.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.junit.jupiter.api.Test;

/** The model input of a slice with its neighbouring slices (the card's {@code input.neighbourSlices}). */
class ModelInputTest {

    private static final ImageVolume VOLUME = Phantom.standard(5, -5.0).nodule(-80, -20, 0, 9).build(7);
    /** The same anatomy on 200 x 200 pixels of 1.92 mm: resampled for the model. */
    private static final ImageVolume RESAMPLED = Phantom.grid(200, 1.92, 5, -5.0).nodule(-80, -20, 0, 9).build(7);

    private static ModelCard.Input input(Integer neighbours, int channels) {
        ModelCard.Input demo = Cards.demo().input();
        return new ModelCard.Input(demo.layout(), channels, demo.rows(), demo.columns(), demo.pixelSpacingMm(),
                demo.spacingPolicy(), demo.windows(), demo.normalisation(), demo.sliceSpacingMm(), neighbours);
    }

    /** The windowed channels of grid slice {@code slice} alone, written out as the card's normalisation says. */
    private static float[] alone(ModelCard.Input input, ModelGrid grid, ImageVolume volume, int slice) {
        float[] hu = new float[grid.size()];
        grid.sample(volume, slice, hu);
        float[] out = new float[input.windows().size() * grid.size()];
        for (int c = 0; c < input.windows().size(); c++) {
            ModelCard.Window w = input.windows().get(c);
            for (int i = 0; i < hu.length; i++) {
                out[c * hu.length + i] = Math.min(1f, Math.max(0f, (hu[i] - (float) w.lower()) / (float) w.width()));
            }
        }
        return out;
    }

    /** The input of {@code count} slices from {@code first}, as one batch of a fresh {@link ModelInput}. */
    private static float[] batch(ModelCard.Input input, ModelGrid grid, ImageVolume volume, int first, int count) {
        float[] out = new float[count * input.channels() * grid.size()];
        new ModelInput(input, grid, volume, count).batch(first, count, FloatBuffer.wrap(out));
        return out;
    }

    @Test
    void eachSliceSeesTheSliceBelowItselfAndTheSliceAboveTheNearestStandingInAtTheEnds() {
        for (ImageVolume volume : new ImageVolume[] {VOLUME, RESAMPLED}) {
            ModelCard.Input input = input(1, 6);
            ModelGrid grid = ModelGrid.over(volume.geometry(), input);
            assertThat(grid.slices()).isEqualTo(5);
            assertThat(grid.identity()).isEqualTo(volume == VOLUME);
            float[] all = batch(input, grid, volume, 0, 5);

            int block = input.windows().size() * grid.size();
            for (int slice = 0; slice < 5; slice++) {
                for (int k = -1; k <= 1; k++) {
                    int neighbour = Math.max(0, Math.min(4, slice + k));
                    int from = (slice * 3 + k + 1) * block;
                    assertThat(Arrays.copyOfRange(all, from, from + block))
                            .as("slice %d, block %d", slice, k + 1).isEqualTo(alone(input, grid, volume, neighbour));
                }
            }
            assertThat(alone(input, grid, volume, 0)).as("the phantom's slices differ")
                    .isNotEqualTo(alone(input, grid, volume, 1));

            assertThat(batch(input, grid, volume, 3, 2)).as("a batch of the last two slices")
                    .isEqualTo(Arrays.copyOfRange(all, 3 * input.channels() * grid.size(), all.length));
        }
    }

    @Test
    void batchesInTurnFromOneInputMakeWhatOneBatchOfTheWholeVolumeMakes() {
        ModelCard.Input input = input(1, 6);
        ModelGrid grid = ModelGrid.over(VOLUME.geometry(), input);
        float[] all = batch(input, grid, VOLUME, 0, 5);
        ModelInput inTurn = new ModelInput(input, grid, VOLUME, 2);
        int perSlice = input.channels() * grid.size();
        ByteBuffer bytes = ByteBuffer.allocateDirect(2 * perSlice * Float.BYTES).order(ByteOrder.nativeOrder());
        float[] joined = new float[all.length];
        for (int first = 0; first < 5; first += 2) {
            int count = Math.min(2, 5 - first);
            FloatBuffer target = bytes.asFloatBuffer();
            inTurn.batch(first, count, target);
            target.get(0, joined, first * perSlice, count * perSlice);
        }
        assertThat(joined).isEqualTo(all);
    }

    @Test
    void aModelOfOneSliceSeesOnlyIt() {
        ModelCard.Input input = input(null, 2);
        ModelGrid grid = ModelGrid.over(VOLUME.geometry(), input);
        float[] batch = batch(input, grid, VOLUME, 2, 2);
        assertThat(Arrays.copyOfRange(batch, 0, 2 * grid.size())).isEqualTo(alone(input, grid, VOLUME, 2));
        assertThat(Arrays.copyOfRange(batch, 2 * grid.size(), batch.length)).isEqualTo(alone(input, grid, VOLUME, 3));
    }

    @Test
    void windowingClipsAsMathMinAndMaxDoBitForBit() {
        ModelCard.Input input = input(null, 2); // lung window from -1000 HU, soft tissue from -160 HU
        float[] hu = {-3000f, -1000f, -1000.0001f, -999.99f, -300f, -160f, 240f, 400f, 401f, 3000f, Float.NaN,
            Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -1e-30f, 1e-30f};
        float[] out = new float[2 * hu.length];
        ModelInput.window(input, hu, 0, hu.length, out, 0);
        for (int c = 0; c < 2; c++) {
            ModelCard.Window w = input.windows().get(c);
            for (int i = 0; i < hu.length; i++) {
                float expected = Math.min(1f, Math.max(0f, (hu[i] - (float) w.lower()) / (float) w.width()));
                assertThat(Float.floatToRawIntBits(out[c * hu.length + i])).as("window %d, %s HU", c, hu[i])
                        .isEqualTo(Float.floatToRawIntBits(expected));
            }
        }
        assertThat(out[0]).isZero();
        assertThat(out[9]).isEqualTo(1f);
    }

    @Test
    void aBatchOutsideTheGridOrLargerThanTheInputTakesIsRefused() {
        ModelCard.Input input = input(1, 6);
        ModelGrid grid = ModelGrid.over(VOLUME.geometry(), input);
        ModelInput modelInput = new ModelInput(input, grid, VOLUME, 2);
        FloatBuffer target = FloatBuffer.allocate(3 * input.channels() * grid.size());
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> modelInput.batch(0, 3, target));
        assertThat(tooMany).hasMessage("batch of slices 0..2 must lie in the grid's 5 slices and hold 1 to 2");
        IllegalArgumentException beyond = assertThrows(IllegalArgumentException.class,
                () -> modelInput.batch(4, 2, target));
        assertThat(beyond).hasMessage("batch of slices 4..5 must lie in the grid's 5 slices and hold 1 to 2");
    }
}
