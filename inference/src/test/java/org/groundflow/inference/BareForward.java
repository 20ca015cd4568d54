package org.groundflow.inference;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.groundflow.dicomweb.volume.ImageVolume;

/**
 * The irreducible model work on a volume, for benchmarks: the package's TorchScript file loaded once through DJL (no
 * Groundflow code around it), and the forward passes over the volume's model input, in batches of
 * {@link SegmentationModel#DEFAULT_BATCH_SLICES} slices as Groundflow runs them. The input tensors are made
 * beforehand, on the same model grid as {@link SegmentationModel} (resampling and windowing are not timed); each
 * {@link #run()} makes the forward passes only, outputs closed, nothing read back.
 */
public final class BareForward implements AutoCloseable {

    private final ZooModel<NDList, NDList> model;
    private final NDManager manager;
    private final Predictor<NDList, NDList> predictor;
    private final List<NDArray> batches = new ArrayList<>();

    private BareForward(ZooModel<NDList, NDList> model) {
        this.model = model;
        this.manager = model.getNDManager().newSubManager();
        this.predictor = model.newPredictor();
    }

    /** Loads the package's model with DJL alone (PyTorch engine, the first GPU if any, else the CPU). */
    public static BareForward load(ModelPackage modelPackage) throws Exception {
        String file = modelPackage.card().file();
        Device device = Engine.getEngine("PyTorch").getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        return new BareForward(Criteria.builder().setTypes(NDList.class, NDList.class).optEngine("PyTorch")
                .optDevice(device).optModelPath(modelPackage.directory())
                .optModelName(file.substring(0, file.length() - ".pt".length()))
                .optTranslator(new NoopTranslator(null)).build().loadModel());
    }

    /** Replaces the prepared input with {@code volume}'s, on the model grid, windowed as the card says. */
    public BareForward over(ImageVolume volume, ModelCard card) {
        batches.forEach(NDArray::close);
        batches.clear();
        ModelCard.Input input = card.input();
        ModelGrid grid = ModelGrid.over(volume.geometry(), input);
        ModelInput modelInput = new ModelInput(input, grid, volume, SegmentationModel.DEFAULT_BATCH_SLICES);
        for (int first = 0; first < grid.slices(); first += SegmentationModel.DEFAULT_BATCH_SLICES) {
            int count = Math.min(SegmentationModel.DEFAULT_BATCH_SLICES, grid.slices() - first);
            float[] batch = new float[modelInput.batchValues(count)];
            modelInput.batch(first, count, FloatBuffer.wrap(batch));
            batches.add(manager.create(batch, new Shape(count, input.channels(), input.rows(), input.columns())));
        }
        return this;
    }

    /** Prepared input tensors of {@code slices} slices each, for a caller that made the model input itself. */
    public BareForward over(float[] tensor, ModelCard.Input input, int slices) {
        batches.forEach(NDArray::close);
        batches.clear();
        int perSlice = input.channels() * input.rows() * input.columns();
        for (int s = 0; s < slices; s += SegmentationModel.DEFAULT_BATCH_SLICES) {
            int count = Math.min(SegmentationModel.DEFAULT_BATCH_SLICES, slices - s);
            float[] batch = Arrays.copyOfRange(tensor, s * perSlice, (s + count) * perSlice);
            batches.add(manager.create(batch, new Shape(count, input.channels(), input.rows(), input.columns())));
        }
        return this;
    }

    /** The model input of every slice of the volume's model grid, as {@link SegmentationModel} computes it. */
    public static float[] modelInput(ImageVolume volume, ModelCard.Input input) {
        ModelGrid grid = ModelGrid.over(volume.geometry(), input);
        float[] out = new float[grid.slices() * input.channels() * grid.size()];
        new ModelInput(input, grid, volume, grid.slices()).batch(0, grid.slices(), FloatBuffer.wrap(out));
        return out;
    }

    /** Writes a tensor as float32 little-endian. */
    public static void writeTensor(Path file, float[] tensor) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(tensor.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(tensor);
        Files.write(file, bytes.array());
    }

    private static float[] readTensor(Path file) throws IOException {
        FloatBuffer floats = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] tensor = new float[floats.remaining()];
        floats.get(tensor);
        return tensor;
    }

    /**
     * The bare forward passes in a JVM of their own, so that no other thread of the process runs libtorch at the same
     * time: {@code BareForward PACKAGE_DIR REPETITIONS}, then one path of a model input (written by
     * {@link #writeTensor}) per line on the standard input; for each, after one untimed run, the median ms of
     * REPETITIONS timed runs as one line on the standard output.
     */
    public static void main(String[] args) throws Exception {
        ModelPackage modelPackage = ModelPackage.load(Path.of(args[0]));
        int repetitions = Integer.parseInt(args[1]);
        ModelCard.Input input = modelPackage.card().input();
        int perSlice = input.channels() * input.rows() * input.columns();
        java.io.BufferedReader requests = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                java.nio.charset.StandardCharsets.UTF_8));
        try (BareForward bare = load(modelPackage)) {
            String line;
            while ((line = requests.readLine()) != null) {
                float[] tensor = readTensor(Path.of(line.trim()));
                bare.over(tensor, input, tensor.length / perSlice).run();
                double[] ms = new double[repetitions];
                for (int r = 0; r < repetitions; r++) {
                    long start = System.nanoTime();
                    bare.run();
                    ms[r] = (System.nanoTime() - start) / 1e6;
                }
                Arrays.sort(ms);
                System.out.println("forward-ms " + ms[repetitions / 2]);
                System.out.flush();
            }
        }
    }

    /** The forward passes over the prepared input. */
    public void run() throws TranslateException {
        for (NDArray x : batches) {
            predictor.predict(new NDList(x)).close();
        }
    }

    @Override
    public void close() {
        predictor.close();
        manager.close();
        model.close();
    }
}
