package org.groundflow.inference;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import org.groundflow.dicomweb.volume.ImageVolume;

/**
 * The parts of {@link SegmentationModel#predict} and of the finding extraction, each timed on its own, on the
 * benchmark's phantom (a SLICES-slice 256 x 256 volume on the demo model's grid): the model input of every batch
 * (sampling, windowing, the input tensor), the forward passes, the softmax (libtorch), the best label and its
 * probability per voxel read back, the labels back on the source voxels, and the findings. The steps are those of {@code predict}, written
 * out here so that each can be timed; a change to {@code predict} changes them here too.
 *
 * <p>Usage: {@code PredictionPartsBenchmark [slices] [repetitions]}; prints the median ms of each part.
 */
public final class PredictionPartsBenchmark {

    private static final int WARM_UP = 3;

    private PredictionPartsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int slices = args.length > 0 ? Integer.parseInt(args[0]) : 48;
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        ImageVolume volume = Phantom.standard(slices, -1.25 * slices)
                .nodule(-80, -20, 20, 9).nodule(85, 30, 40, 6).liverLesion(-60, 10, -40, 12).build(42);
        ModelPackage modelPackage = ModelPackage.bundledDemo();
        ModelCard card = modelPackage.card();
        String file = card.file();
        FindingExtractor extractor = new FindingExtractor(card);
        double[][] ms = new double[6][repetitions];
        try (ZooModel<NDList, NDList> model = Criteria.builder().setTypes(NDList.class, NDList.class)
                .optEngine("PyTorch").optModelPath(modelPackage.directory())
                .optModelName(file.substring(0, file.length() - ".pt".length()))
                .optTranslator(new NoopTranslator(null)).build().loadModel();
             Predictor<NDList, NDList> predictor = model.newPredictor()) {
            for (int r = -WARM_UP; r < repetitions; r++) {
                double[] parts = once(model, predictor, card, volume, extractor);
                for (int p = 0; r >= 0 && p < parts.length; p++) {
                    ms[p][r] = parts[p];
                }
            }
        }
        String[] names = {"input", "forward", "softmax", "argmax", "back", "findings"};
        double java = 0;
        for (int p = 0; p < names.length; p++) {
            double median = median(ms[p]);
            java += p == 1 ? 0 : median;
            System.out.printf(Locale.ROOT, "%-8s %7.1f ms%n", names[p], median);
        }
        System.out.printf(Locale.ROOT, "java     %7.1f ms (sum of the medians of every part but forward)%n", java);
    }

    /** One prediction and extraction, as {@code predict} and {@code extract} run them; ms of each part. */
    private static double[] once(ZooModel<NDList, NDList> model, Predictor<NDList, NDList> predictor, ModelCard card,
                                 ImageVolume volume, FindingExtractor extractor) throws Exception {
        ModelCard.Input input = card.input();
        ModelCard.Output output = card.output();
        int batchSlices = SegmentationModel.DEFAULT_BATCH_SLICES;
        long[] nanos = new long[6];
        ModelGrid grid = ModelGrid.over(volume.geometry(), input);
        byte[] labels = new byte[grid.size() * grid.slices()];
        float[] confidence = new float[labels.length];
        long a0 = System.nanoTime();
        ModelInput modelInput = new ModelInput(input, grid, volume, batchSlices);
        ByteBuffer batch = ByteBuffer.allocateDirect(modelInput.batchValues(Math.min(batchSlices, grid.slices()))
                * Float.BYTES).order(ByteOrder.nativeOrder());
        float[] slice = new float[output.classes() * grid.size()];
        nanos[0] += System.nanoTime() - a0;
        try (NDManager manager = model.getNDManager().newSubManager()) {
            for (int first = 0; first < grid.slices(); first += batchSlices) {
                int count = Math.min(batchSlices, grid.slices() - first);
                long a = System.nanoTime();
                ByteBuffer bytes = batch.slice(0, modelInput.batchValues(count) * Float.BYTES)
                        .order(ByteOrder.nativeOrder());
                modelInput.batch(first, count, bytes.asFloatBuffer());
                try (NDManager pass = manager.newSubManager()) {
                    NDArray x = pass.create(bytes, new Shape(count, input.channels(), input.rows(), input.columns()),
                            DataType.FLOAT32);
                    long b = System.nanoTime();
                    NDList out = predictor.predict(new NDList(x));
                    out.attach(pass);
                    long c = System.nanoTime();
                    NDArray scores = out.singletonOrThrow();
                    NDArray probabilities = output.logits() ? scores.softmax(1) : scores;
                    long d = System.nanoTime();
                    SegmentationModel.argMax(probabilities.toByteBuffer(true).asFloatBuffer(), count, output.classes(),
                            grid.size(), labels, confidence, first * grid.size(), slice);
                    long e = System.nanoTime();
                    nanos[0] += b - a;
                    nanos[1] += c - b;
                    nanos[2] += d - c;
                    nanos[3] += e - d;
                }
            }
        }
        long e = System.nanoTime();
        LabelMap map = grid.back(labels, confidence);
        long f = System.nanoTime();
        extractor.extract(volume, map);
        long g = System.nanoTime();
        nanos[4] = f - e;
        nanos[5] = g - f;
        return Arrays.stream(nanos).mapToDouble(n -> n / 1e6).toArray();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
