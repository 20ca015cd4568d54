package org.groundflow.inference;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TorchScript model of a package, loaded once with DJL's PyTorch engine, reading a volume slice by slice.
 * Thread safe: each call takes its own predictor and its own native memory, released when the call ends.
 * Runs on the first GPU when the engine reports one (CUDA natives: the {@code gpu} Maven profile), else on the CPU.
 */
public final class SegmentationModel implements AutoCloseable {

    /** Slices per forward pass unless told otherwise. */
    public static final int DEFAULT_BATCH_SLICES = 8;

    private static final Logger log = LoggerFactory.getLogger(SegmentationModel.class);

    private final ModelPackage modelPackage;
    private final ModelCard.Input input;
    private final ModelCard.Output output;
    private final ZooModel<NDList, NDList> model;
    private final int batchSlices;

    private SegmentationModel(ModelPackage modelPackage, ZooModel<NDList, NDList> model, int batchSlices) {
        this.modelPackage = modelPackage;
        this.input = modelPackage.card().input();
        this.output = modelPackage.card().output();
        this.model = model;
        this.batchSlices = batchSlices;
    }

    public static SegmentationModel open(ModelPackage modelPackage) {
        return open(modelPackage, DEFAULT_BATCH_SLICES);
    }

    /** Loads the package's model and checks, with one zero input, that its output matches the card. */
    public static SegmentationModel open(ModelPackage modelPackage, int batchSlices) {
        Objects.requireNonNull(modelPackage, "modelPackage");
        if (batchSlices < 1) {
            throw new IllegalArgumentException("batchSlices must be >= 1, got " + batchSlices);
        }
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        String file = modelPackage.card().file();
        ZooModel<NDList, NDList> model;
        try {
            Criteria<NDList, NDList> criteria = Criteria.builder()
                    .setTypes(NDList.class, NDList.class)
                    .optEngine("PyTorch")
                    .optDevice(preferredDevice())
                    .optModelPath(modelPackage.directory())
                    .optModelName(file.substring(0, file.length() - ".pt".length()))
                    .optTranslator(new NoopTranslator(null)) // input is already batched: no batchifier
                    .build();
            model = criteria.loadModel();
        } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
            throw new ModelPackageException(modelPackage.describe(), "the engine cannot load " + file + ": " + e.getMessage(), e);
        }
        SegmentationModel loaded = new SegmentationModel(modelPackage, model, batchSlices);
        try {
            loaded.checkOutputShape();
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        log.info("Model {} ready on {} ({} slices per pass)", modelPackage.card().title(), model.getNDManager().getDevice(),
                batchSlices);
        return loaded;
    }

    /** The first GPU when the PyTorch engine reports one, else the CPU. */
    private static Device preferredDevice() {
        return Engine.getEngine("PyTorch").getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }

    public ModelCard card() {
        return modelPackage.card();
    }

    public ModelPackage modelPackage() {
        return modelPackage;
    }

    /** Where the model runs, as DJL names it: "cpu()" or "gpu(0)". */
    public String device() {
        return model.getNDManager().getDevice().toString();
    }

    /** The label of every voxel, in the volume's voxel order. */
    public byte[] segment(ImageVolume volume) {
        return predict(volume).labels();
    }

    /** Label and its probability for every voxel, in the volume's voxel order. */
    public LabelMap predict(ImageVolume volume) {
        Objects.requireNonNull(volume, "volume");
        long started = System.nanoTime();
        ModelGrid grid = ModelGrid.over(volume.geometry(), input);
        byte[] labels = new byte[grid.size() * grid.slices()];
        float[] confidence = new float[labels.length];
        ModelInput modelInput = new ModelInput(input, grid, volume, batchSlices);
        // one input buffer for every batch, filled again once the pass before has closed
        ByteBuffer batch = ByteBuffer.allocateDirect(modelInput.batchValues(Math.min(batchSlices, grid.slices()))
                * Float.BYTES).order(ByteOrder.nativeOrder());
        float[] slice = new float[output.classes() * grid.size()];
        try (NDManager manager = model.getNDManager().newSubManager();
             Predictor<NDList, NDList> predictor = model.newPredictor()) {
            for (int first = 0; first < grid.slices(); first += batchSlices) {
                int count = Math.min(batchSlices, grid.slices() - first);
                ByteBuffer bytes = batch.slice(0, modelInput.batchValues(count) * Float.BYTES)
                        .order(ByteOrder.nativeOrder());
                modelInput.batch(first, count, bytes.asFloatBuffer());
                try (NDManager pass = manager.newSubManager()) {
                    NDArray x = pass.create(bytes, new Shape(count, input.channels(), input.rows(), input.columns()),
                            DataType.FLOAT32);
                    NDList out = predictor.predict(new NDList(x));
                    out.attach(pass);
                    NDArray scores = out.singletonOrThrow();
                    NDArray probabilities = output.logits() ? scores.softmax(1) : scores;
                    // direct: the tensor's own memory, read in place while the pass is open (not copied into a byte[])
                    argMax(probabilities.toByteBuffer(true).asFloatBuffer(), count, output.classes(), grid.size(),
                            labels, confidence, first * grid.size(), slice);
                }
            }
        } catch (TranslateException | RuntimeException e) {
            throw new ModelRunException("model " + card().title() + " failed on series " + volume.seriesInstanceUid()
                    + ": " + e.getMessage(), e);
        }
        log.debug("Model {} read series {} ({} slices, {} on its grid) in {} ms", card().title(),
                volume.seriesInstanceUid(), volume.slices(), grid.slices(), (System.nanoTime() - started) / 1_000_000);
        return grid.back(labels, confidence);
    }

    /**
     * Best class and its probability per pixel of {@code count} slices of [classes, size] probabilities; the first
     * class wins a tie, as torch.argmax. Done here because libtorch's argmax over 3 classes, cast and copied out,
     * took a quarter of the forward pass's time on the CPU; reading the probabilities once is cheap. Each slice is
     * copied into {@code slice} ({@code classes * size} values) first: a Java array reads faster than a buffer.
     */
    static void argMax(FloatBuffer probabilities, int count, int classes, int size, byte[] labels, float[] best, int at,
                       float[] slice) {
        for (int n = 0; n < count; n++) {
            probabilities.get(n * classes * size, slice, 0, classes * size);
            int to = at + n * size;
            System.arraycopy(slice, 0, best, to, size);
            Arrays.fill(labels, to, to + size, (byte) 0);
            for (int c = 1; c < classes; c++) { // class by class: each pass reads one run of the slice
                int from = c * size - to;
                for (int i = to; i < to + size; i++) {
                    float q = slice[from + i];
                    if (q > best[i]) {
                        best[i] = q;
                        labels[i] = (byte) c;
                    }
                }
            }
        }
    }

    private void checkOutputShape() {
        long[] expected = {1, output.classes(), input.rows(), input.columns()};
        long[] actual;
        try (NDManager manager = model.getNDManager().newSubManager();
             Predictor<NDList, NDList> predictor = model.newPredictor()) {
            NDArray zeros = manager.zeros(new Shape(1, input.channels(), input.rows(), input.columns()));
            NDList out = predictor.predict(new NDList(zeros));
            out.attach(manager);
            if (out.size() != 1) {
                throw new ModelPackageException(modelPackage.describe(), "model returns " + out.size()
                        + " outputs, the card describes one " + output.layout() + " tensor");
            }
            actual = out.get(0).getShape().getShape();
        } catch (TranslateException | EngineException e) {
            throw new ModelPackageException(modelPackage.describe(), "model fails on a zero input of shape "
                    + Arrays.toString(new long[] {1, input.channels(), input.rows(), input.columns()}) + ": "
                    + e.getMessage(), e);
        }
        if (!Arrays.equals(expected, actual)) {
            throw new ModelPackageException(modelPackage.describe(), "model output shape " + Arrays.toString(actual)
                    + " does not match the card: expected " + Arrays.toString(expected)
                    + " (batch, output.classes, input.rows, input.columns)");
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
