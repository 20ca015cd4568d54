package org.groundflow.inference;

import ai.djl.engine.Engine;
import java.io.OutputStream;
import java.nio.FloatBuffer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import org.groundflow.dicomweb.volume.ImageVolume;

/**
 * {@code deploy/bench.sh inference}, the Java side. In one JVM: the first call after start (engine start and model
 * load, then the first whole interpretation), then REPETITIONS alternating runs of
 * <ul>
 *   <li>the whole interpretation of a SLICES-slice 256 x 256 phantom ({@link GroundedInterpreter#interpret}: windowing,
 *       tensors in, forward passes, softmax and argmax, labels out, components, measurements, sentences), and
 *   <li>the bare forward passes of the same model file through DJL on the same input tensors, prepared beforehand
 *       (batches of {@link SegmentationModel#DEFAULT_BATCH_SLICES} slices, outputs closed, nothing read back),
 * </ul>
 * after WARM_UP runs of each. Writes the input tensor to {@code WORK/input.f32} (float32 little-endian
 * [slices, channels, 256, 256]) for the Python side and the figures to {@code WORK/groundflow.properties}. Threads:
 * {@code -Dai.djl.pytorch.num_threads} and {@code -Dai.djl.pytorch.num_interop_threads}, set by the script.
 *
 * <p>Usage: {@code InterpretationBenchmark WORK [slices] [repetitions]}.
 */
public final class InterpretationBenchmark {

    private static final int WARM_UP = 2;

    private InterpretationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        Path work = Path.of(args[0]);
        int slices = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        Files.createDirectories(work);
        ImageVolume volume = Phantom.standard(slices, -1.25 * slices)
                .nodule(-80, -20, 20, 9).nodule(85, 30, 40, 6).liverLesion(-60, 10, -40, 12).build(42);

        long t0 = System.nanoTime();
        SegmentationModel model = SegmentationModel.open(ModelPackage.bundledDemo());
        long opened = System.nanoTime();
        GroundedInterpreter interpreter = new GroundedInterpreter(model);
        InterpretationResult first = interpreter.interpret(volume);
        long firstDone = System.nanoTime();
        double sinceJvm = (System.currentTimeMillis() - jvmStart) / 1e3;

        ModelCard.Input input = model.card().input();
        float[] tensor = window(volume, input);
        BareForward.writeTensor(work.resolve("input.f32"), tensor);
        FindingExtractor extractor = new FindingExtractor(model.card());

        try (BareForward bare = BareForward.load(model.modelPackage()).over(tensor, input, slices)) {
            for (int w = 0; w < WARM_UP; w++) {
                interpreter.interpret(volume);
                bare.run();
            }
            double[] whole = new double[repetitions];
            double[] forward = new double[repetitions];
            double[] segment = new double[repetitions];
            double[] extract = new double[repetitions];
            for (int r = 0; r < repetitions; r++) {
                if (r % 2 == 0) {
                    whole[r] = timeWhole(interpreter, volume);
                    forward[r] = timeForward(bare);
                } else {
                    forward[r] = timeForward(bare);
                    whole[r] = timeWhole(interpreter, volume);
                }
                long a = System.nanoTime();
                LabelMap labels = model.predict(volume);
                long b = System.nanoTime();
                extractor.extract(volume, labels);
                long c = System.nanoTime();
                segment[r] = (b - a) / 1e9;
                extract[r] = (c - b) / 1e9;
            }
            Properties p = new Properties();
            p.setProperty("slices", Integer.toString(slices));
            p.setProperty("device", model.device());
            p.setProperty("engine", Engine.getEngine("PyTorch").getVersion());
            p.setProperty("threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
            p.setProperty("findings", Integer.toString(first.interpretation().findings().size()));
            p.setProperty("first.open.s", seconds((opened - t0) / 1e9));
            p.setProperty("first.interpretation.s", seconds((firstDone - opened) / 1e9));
            p.setProperty("first.since.jvm.start.s", seconds(sinceJvm));
            p.setProperty("whole.median.s", seconds(median(whole)));
            p.setProperty("whole.min.s", seconds(Arrays.stream(whole).min().orElseThrow()));
            p.setProperty("forward.median.s", seconds(median(forward)));
            p.setProperty("forward.min.s", seconds(Arrays.stream(forward).min().orElseThrow()));
            p.setProperty("segment.median.s", seconds(median(segment)));
            p.setProperty("extract.median.s", seconds(median(extract)));
            try (OutputStream out = Files.newOutputStream(work.resolve("groundflow.properties"))) {
                p.store(out, "deploy/bench.sh inference, Java side");
            }
        }
        model.close();
    }

    private static double timeWhole(GroundedInterpreter interpreter, ImageVolume volume) {
        long start = System.nanoTime();
        interpreter.interpret(volume);
        return (System.nanoTime() - start) / 1e9;
    }

    private static double timeForward(BareForward bare) throws Exception {
        long start = System.nanoTime();
        bare.run();
        return (System.nanoTime() - start) / 1e9;
    }

    /** The model input of every slice as SegmentationModel computes it on an identity grid. */
    private static float[] window(ImageVolume volume, ModelCard.Input input) {
        ModelGrid grid = ModelGrid.over(volume.geometry(), input);
        if (grid.slices() != volume.slices() || volume.columns() != input.columns() || volume.rows() != input.rows()) {
            throw new IllegalArgumentException("the benchmark volume must be on the model's grid");
        }
        float[] out = new float[volume.slices() * input.channels() * grid.size()];
        new ModelInput(input, grid, volume, grid.slices()).batch(0, grid.slices(), FloatBuffer.wrap(out));
        return out;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.4f", s);
    }
}
