package org.groundflow.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.junit.jupiter.api.Test;

/**
 * The demo model's labels and probabilities on phantoms, bit for bit those of the plain path (each batch windowed into
 * a new array, copied into a tensor, softmax, copied out, best class per pixel); the best class per pixel read from
 * the model's [count, classes, size] output.
 */
class SegmentationModelTest {

    @Test
    void labelsAndProbabilitiesAreBitForBitThoseOfThePlainPath() throws Exception {
        ImageVolume onGrid = Phantom.standard(12, -15.0).nodule(-80, -20, 0, 9).liverLesion(-60, 10, -5, 12).build(5);
        ImageVolume resampled = Phantom.grid(200, 1.92, 12, -15.0).nodule(-80, -20, 0, 9).build(5);
        SegmentationModel model = DemoModel.get();
        try (PlainPrediction plain = PlainPrediction.load(model.modelPackage())) {
            for (ImageVolume volume : new ImageVolume[] {onGrid, resampled}) {
                LabelMap expected = plain.predict(volume);
                LabelMap actual = model.predict(volume);
                assertThat(actual.labels()).isEqualTo(expected.labels());
                assertThat(actual.confidence()).isEqualTo(expected.confidence()); // Arrays.equals: bit for bit
                int found = 0;
                for (byte label : actual.labels()) {
                    found += label == 1 || label == 2 ? 1 : 0;
                }
                assertThat(found).as("finding voxels, so that their probabilities are compared too").isPositive();
            }
        }
    }

    @Test
    void eachPixelTakesItsMostProbableClassAndItsProbabilityTheFirstWinningATie() {
        int classes = 3;
        int size = 4;
        float[] values = {
            // slice 0: class 0, 1, 2 per pixel
            0.6f, 0.2f, 0.3f, 0.4f,
            0.3f, 0.7f, 0.3f, 0.4f,
            0.1f, 0.1f, 0.4f, 0.2f,
            // slice 1
            0.1f, 0.5f, Float.NaN, 0.2f,
            0.1f, 0.5f, 0.5f, 0.2f,
            0.8f, 0.0f, 0.5f, 0.6f};
        byte[] labels = new byte[3 * size];
        float[] best = new float[3 * size];
        SegmentationModel.argMax(direct(values), 2, classes, size, labels, best, size, new float[classes * size]);
        assertThat(labels).containsExactly(0, 0, 0, 0, 0, 1, 2, 0, 2, 0, 0, 2);
        assertThat(best).containsExactly(0f, 0f, 0f, 0f, 0.6f, 0.7f, 0.4f, 0.4f, 0.8f, 0.5f, Float.NaN, 0.6f);
    }

    @Test
    void aBatchReadsAsTheSameSlicesOneByOne() {
        int classes = 5;
        int size = 64 * 64;
        float[] values = new float[3 * classes * size];
        Random random = new Random(3);
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextInt(4) / 4f; // many ties
        }
        byte[] labels = new byte[3 * size];
        float[] best = new float[3 * size];
        SegmentationModel.argMax(direct(values), 3, classes, size, labels, best, 0, new float[classes * size]);
        for (int n = 0; n < 3; n++) {
            for (int i = 0; i < size; i++) {
                int label = 0;
                for (int c = 1; c < classes; c++) {
                    if (values[(n * classes + c) * size + i] > values[(n * classes + label) * size + i]) {
                        label = c;
                    }
                }
                assertThat(labels[n * size + i]).as("slice %d pixel %d", n, i).isEqualTo((byte) label);
                assertThat(best[n * size + i]).isEqualTo(values[(n * classes + label) * size + i]);
            }
        }
    }

    /** The values in a direct buffer of the platform's byte order, as the engine gives them. */
    private static FloatBuffer direct(float[] values) {
        FloatBuffer buffer = ByteBuffer.allocateDirect(values.length * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        buffer.put(values);
        return buffer;
    }
}
