package org.groundflow.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.dicomweb.Uid;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first five held-out evaluation cases of the training generator, drawn by inference/training/heldout_cases.py with the Python Dice of each lesion
 * from evaluate.py, read again through the Java path (GroundedInterpreter on DJL): per-lesion Dice agrees within 0.02.
 * Dice per lesion as evaluate.py defines it: the lesion against the union of the findings of its label that overlap
 * it, 0 when none does.
 */
class HeldOutDiceTest {

    private static final Logger log = LoggerFactory.getLogger(HeldOutDiceTest.class);
    private static final double TOLERANCE = 0.02;

    @TempDir
    Path work;

    @Test
    void javaDiceAgreesWithPythonOnHeldOutCases() throws IOException, InterruptedException {
        Assumptions.assumeTrue(ReferenceServer.available(), "/usr/bin/python3 with python3-torch is not installed");
        SegmentationModel model = DemoModel.get();
        Process python = new ProcessBuilder(ReferenceServer.PYTHON.toString(), "training/heldout_cases.py",
                "--package", model.modelPackage().directory().toString(), "--out", work.toString(), "--cases", "5")
                .redirectErrorStream(true).start();
        String said = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).as(said).isZero();

        JsonNode spec = new ObjectMapper().readTree(work.resolve("cases.json").toFile());
        GroundedInterpreter interpreter = new GroundedInterpreter(model, new FindingExtractor(withoutPlausibility()));
        List<double[]> pairs = new ArrayList<>();
        int c = 0;
        for (JsonNode kase : spec.get("cases")) {
            ImageVolume volume = volume(spec, c, work.resolve(kase.get("hu").asText()));
            byte[] truth = Files.readAllBytes(work.resolve(kase.get("truth").asText()));
            InterpretationResult result = interpreter.interpret(volume);
            for (JsonNode lesion : kase.get("lesions")) {
                double java = dice(result, truth, lesion.get("instance").asInt(), lesion.get("label").asText());
                double py = lesion.get("dice").asDouble();
                log.info("case {} lesion {} ({}, r {} mm): Dice Java {} Python {}", c, lesion.get("instance").asInt(),
                        lesion.get("label").asText(), String.format("%.1f", lesion.get("radius").asDouble()),
                        String.format("%.4f", java), String.format("%.4f", py));
                pairs.add(new double[] {java, py});
            }
            c++;
        }
        assertThat(pairs).hasSizeGreaterThanOrEqualTo(3);
        for (double[] pair : pairs) {
            assertThat(pair[0]).isCloseTo(pair[1], within(TOLERANCE));
        }
        double meanJava = pairs.stream().mapToDouble(p -> p[0]).average().orElseThrow();
        double meanPython = pairs.stream().mapToDouble(p -> p[1]).average().orElseThrow();
        log.info("mean Dice over {} lesions: Java {} Python {}", pairs.size(), meanJava, meanPython);
        assertThat(meanJava).isCloseTo(meanPython, within(TOLERANCE / 2));
    }

    /**
     * The demo card without its plausibility rules and operating point: evaluate.findings scores the model's components
     * as they come.
     */
    private static ModelCard withoutPlausibility() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode card = (ObjectNode) json.readTree(Cards.demoJson());
        card.get("labels").forEach(l -> ((ObjectNode) l).remove(List.of("plausibility", "detection")));
        return ModelCardReader.read(json.writeValueAsBytes(card), "demo");
    }

    private static ImageVolume volume(JsonNode spec, int c, Path hu) throws IOException {
        int size = spec.get("size").asInt();
        int slices = spec.get("slices").asInt();
        double pixel = spec.get("pixelMm").asDouble();
        double origin = spec.get("originMm").asDouble();
        float[] voxels = new float[size * size * slices];
        ByteBuffer.wrap(Files.readAllBytes(hu)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(voxels);
        List<double[]> positions = new ArrayList<>();
        List<Uid> uids = new ArrayList<>();
        for (int k = 0; k < slices; k++) {
            positions.add(new double[] {origin, origin, spec.get("z0").asDouble() + spec.get("sliceMm").asDouble() * k});
            uids.add(Uid.of("2.25.9" + c + "." + (k + 1)));
        }
        return new ImageVolume(new VolumeGeometry(Uid.of("2.25.90" + c), Uid.of("2.25.91" + c), Uid.of("2.25.92" + c), Uid.of("1.2.840.10008.5.1.4.1.1.2"), "CT", size, size, slices, pixel, pixel, spec.get("sliceMm").asDouble(), new double[] {1, 0, 0}, new double[] {0, 1, 0}, positions, uids, null), voxels);
    }

    private static double dice(InterpretationResult result, byte[] truth, int instance, String label) {
        BitSet lesion = new BitSet(truth.length);
        for (int v = 0; v < truth.length; v++) {
            if (truth[v] == instance) {
                lesion.set(v);
            }
        }
        BitSet union = new BitSet(truth.length);
        for (Finding finding : result.interpretation().findings()) {
            BitSet mask = result.mask(finding.segmentNumber()).voxels();
            if (finding.label().equals(label) && mask.intersects(lesion)) {
                union.or(mask);
            }
        }
        BitSet both = (BitSet) union.clone();
        both.and(lesion);
        return 2.0 * both.cardinality() / (union.cardinality() + lesion.cardinality());
    }
}
