package org.groundflow.inference;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.groundflow.dicomweb.volume.ImageVolume;

/**
 * The model input of one volume, batch by batch ([count, channels, rows, columns] per batch): for each grid slice, the
 * window channels of each slice from {@link ModelCard.Input#contextSlices()} below to as many above it, the nearest
 * grid slice standing in beyond either end. Each grid slice is sampled and windowed once per volume: it is kept while a
 * later batch of ascending batches may still need it. Not thread safe: one per prediction.
 */
final class ModelInput {

    private final ModelCard.Input input;
    private final ModelGrid grid;
    private final ImageVolume volume;
    private final int batchSlices;
    private final int context;
    private final int block; // windowed values of one grid slice
    private final float[] hu;
    private final float[] windowed; // slot s % slots holds grid slice s, as slotSlice says
    private final int[] slotSlice;

    ModelInput(ModelCard.Input input, ModelGrid grid, ImageVolume volume, int batchSlices) {
        if (batchSlices < 1) {
            throw new IllegalArgumentException("batchSlices must be >= 1, got " + batchSlices);
        }
        this.input = input;
        this.grid = grid;
        this.volume = volume;
        this.batchSlices = batchSlices;
        this.context = input.contextSlices();
        this.block = input.windows().size() * grid.size();
        this.hu = grid.identity() ? null : new float[grid.size()];
        int slots = Math.min(batchSlices + 2 * context, grid.slices());
        this.windowed = new float[slots * block];
        this.slotSlice = new int[slots];
        Arrays.fill(slotSlice, -1);
    }

    /** Values of one batch of {@code count} slices. */
    int batchValues(int count) {
        return count * input.channels() * grid.size();
    }

    /**
     * The model input of grid slices {@code first} to {@code first + count - 1} into {@code target} from its index 0
     * ({@link #batchValues} values).
     */
    void batch(int first, int count, FloatBuffer target) {
        if (first < 0 || count < 1 || count > batchSlices || first + count > grid.slices()) {
            throw new IllegalArgumentException("batch of slices " + first + ".." + (first + count - 1)
                    + " must lie in the grid's " + grid.slices() + " slices and hold 1 to " + batchSlices);
        }
        int span = 2 * context + 1;
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < span; k++) {
                int slice = Math.max(0, Math.min(grid.slices() - 1, first + i - context + k));
                target.put((i * span + k) * block, windowed, slot(slice) * block, block);
            }
        }
    }

    /** The slot that holds grid slice {@code slice} windowed, windowing it there first if it does not. */
    private int slot(int slice) {
        int slot = slice % slotSlice.length;
        if (slotSlice[slot] != slice) {
            if (hu == null) {
                window(input, volume.voxels(), slice * grid.size(), grid.size(), windowed, slot * block);
            } else {
                grid.sample(volume, slice, hu);
                window(input, hu, 0, grid.size(), windowed, slot * block);
            }
            slotSlice[slot] = slice;
        }
        return slot;
    }

    /**
     * The model input of one slice's {@code size} HU values from {@code hu[from]}: one channel per window of the card,
     * clip((HU - lower) / width, 0, 1), into {@code target} from {@code offset}.
     */
    static void window(ModelCard.Input input, float[] hu, int from, int size, float[] target, int offset) {
        for (int c = 0; c < input.windows().size(); c++) {
            ModelCard.Window w = input.windows().get(c);
            float lower = (float) w.lower();
            float width = (float) w.width();
            int base = offset + c * size - from;
            for (int i = from; i < from + size; i++) {
                target[base + i] = Math.min(1f, Math.max(0f, (hu[i] - lower) / width)); // vectorised by the JIT
            }
        }
    }
}
