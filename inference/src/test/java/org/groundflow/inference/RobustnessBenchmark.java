package org.groundflow.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.ImageVolumeReader;

/**
 * {@code deploy/bench.sh robustness}, the Java side: every study of the independent set (generator B,
 * {@code inference/training/independent_phantom.py}) read from its DICOM files by {@link ImageVolumeReader} and
 * interpreted in process by {@link GroundedInterpreter} on the bundled demo model. Writes, per study, the lesions of
 * {@code truth.json} with their voxel counts in the source series and the findings with their label value, voxel count,
 * confidence and overlap with each lesion ({@code WORK/java-results.json}); {@code inference/training/robustness.py} scores them.
 * A study the step refuses (outside the model's domain, unreadable) is written with its reason and no findings.
 *
 * <p>Usage: {@code RobustnessBenchmark WORK} with {@code WORK/truth.json} and the study folders it names.
 */
public final class RobustnessBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RobustnessBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path work = Path.of(args[0]);
        JsonNode truth = JSON.readTree(work.resolve("truth.json").toFile());
        SegmentationModel model = SegmentationModel.open(ModelPackage.bundledDemo());
        Map<String, Integer> labelValues = labelValues(model.modelPackage().directory().resolve("model.json"));
        GroundedInterpreter interpreter = new GroundedInterpreter(model);
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode study : truth.get("studies")) {
            out.add(study(interpreter, labelValues, work.resolve(study.get("folder").asText()), study));
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(work.resolve("java-results.json").toFile(), out);
    }

    /** Label value of each finding name the step may write: the card's labels and the names they are reworded to. */
    private static Map<String, Integer> labelValues(Path card) throws IOException {
        Map<String, Integer> values = new HashMap<>();
        for (JsonNode label : JSON.readTree(card.toFile()).get("labels")) {
            values.put(label.get("name").asText(), label.get("value").asInt());
            JsonNode larger = label.path("plausibility").path("larger").path("name");
            if (larger.isTextual()) {
                values.put(larger.asText(), label.get("value").asInt());
            }
        }
        return values;
    }

    private static ObjectNode study(GroundedInterpreter interpreter, Map<String, Integer> labelValues, Path folder,
                                    JsonNode truth) throws IOException {
        ObjectNode result = JSON.createObjectNode().put("folder", truth.get("folder").asText());
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
        long started = System.nanoTime();
        ImageVolume volume;
        InterpretationResult interpretation;
        try {
            volume = ImageVolumeReader.read(files);
            interpretation = interpreter.interpret(volume);
        } catch (RuntimeException e) {
            result.put("refused", e.getClass().getSimpleName() + ": " + e.getMessage());
            result.set("lesions", lesionsWithoutMasks(truth));
            result.set("findings", JSON.createArrayNode());
            return result;
        }
        result.put("seconds", (System.nanoTime() - started) / 1e9);
        List<BitSet> lesionMasks = new ArrayList<>();
        ArrayNode lesions = JSON.createArrayNode();
        for (JsonNode lesion : truth.get("lesions")) {
            BitSet mask = TruthEllipsoid.of(lesion).mask(volume);
            lesionMasks.add(mask);
            lesions.add(JSON.createObjectNode().put("label", lesion.get("label").asText())
                    .put("voxels", mask.cardinality()));
        }
        ArrayNode findings = JSON.createArrayNode();
        for (Finding finding : interpretation.interpretation().findings()) {
            BitSet mask = interpretation.mask(finding.segmentNumber()).voxels();
            ArrayNode overlaps = JSON.createArrayNode();
            for (BitSet lesion : lesionMasks) {
                BitSet both = (BitSet) mask.clone();
                both.and(lesion);
                overlaps.add(both.cardinality());
            }
            ObjectNode f = JSON.createObjectNode().put("name", finding.label())
                    .put("label", labelValues.getOrDefault(finding.label(), 0)).put("voxels", mask.cardinality())
                    .put("confidence", finding.confidence());
            f.set("overlaps", overlaps);
            findings.add(f);
        }
        result.set("lesions", lesions);
        result.set("findings", findings);
        return result;
    }

    private static ArrayNode lesionsWithoutMasks(JsonNode truth) {
        ArrayNode lesions = JSON.createArrayNode();
        truth.get("lesions").forEach(l -> lesions.add(JSON.createObjectNode().put("label", l.get("label").asText())
                .put("voxels", -1)));
        return lesions;
    }

    /** A lesion of truth.json: centre (mm, LPS), semi-axes (mm) along the rows of {@code axes}. */
    private record TruthEllipsoid(double[] centre, double[] semiAxes, double[][] axes) {

        static TruthEllipsoid of(JsonNode lesion) {
            double[][] axes = new double[3][];
            for (int a = 0; a < 3; a++) {
                axes[a] = vector(lesion.get("axes").get(a));
            }
            return new TruthEllipsoid(vector(lesion.get("centreMm")), vector(lesion.get("semiAxesMm")), axes);
        }

        private static double[] vector(JsonNode node) {
            return new double[] {node.get(0).asDouble(), node.get(1).asDouble(), node.get(2).asDouble()};
        }

        /** The voxels of the volume whose centres lie inside, indexed (k * rows + j) * columns + i. */
        BitSet mask(ImageVolume volume) {
            BitSet mask = new BitSet(volume.voxelsPerSlice() * volume.slices());
            double reach = Math.max(semiAxes[0], Math.max(semiAxes[1], semiAxes[2]));
            double[] normal = volume.sliceNormal();
            for (int k = 0; k < volume.slices(); k++) {
                double[] origin = volume.patientPosition(0, 0, k);
                double distance = 0;
                for (int a = 0; a < 3; a++) {
                    distance += (centre[a] - origin[a]) * normal[a];
                }
                if (Math.abs(distance) > reach) {
                    continue;
                }
                for (int j = 0; j < volume.rows(); j++) {
                    for (int i = 0; i < volume.columns(); i++) {
                        if (inside(volume.patientPosition(i, j, k))) {
                            mask.set((k * volume.rows() + j) * volume.columns() + i);
                        }
                    }
                }
            }
            return mask;
        }

        private boolean inside(double[] p) {
            double sum = 0;
            for (int a = 0; a < 3; a++) {
                double q = 0;
                for (int b = 0; b < 3; b++) {
                    q += (p[b] - centre[b]) * axes[a][b];
                }
                sum += (q / semiAxes[a]) * (q / semiAxes[a]);
            }
            return sum <= 1;
        }
    }
}
