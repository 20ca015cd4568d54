package org.groundflow.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.groundflow.dicomweb.Uid;

/**
 * Reads a model card ({@code model.json}) and checks it before anything uses it: required fields, their types and
 * ranges, one window per input channel, label values unique and inside the output classes. Every failure is a
 * {@link ModelPackageException} naming the package, the field and the bad value.
 */
public final class ModelCardReader {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final String packageName;
    private final boolean packaged;

    private ModelCardReader(String packageName, boolean packaged) {
        this.packageName = packageName;
        this.packaged = packaged;
    }

    /** Parses and checks the card; {@code packageName} only names the package in messages. */
    public static ModelCard read(byte[] json, String packageName) {
        return new ModelCardReader(packageName, true).parse(json);
    }

    /**
     * Parses and checks the card of a model that runs behind a model server ({@code GET /v1/model}): the same checks,
     * except that {@code file} may be absent, since no model file travels to this side.
     */
    public static ModelCard readRemote(byte[] json, String server) {
        return new ModelCardReader(server, false).parse(json);
    }

    private ModelCard parse(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw fail("model.json is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw fail("model.json cannot be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw fail("model.json must hold a JSON object");
        }
        check(root);
        try {
            return JSON.treeToValue(root, ModelCard.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw fail("model.json does not map to a model card: " + e.getMessage(), e);
        }
    }

    private void check(JsonNode card) {
        for (String field : new String[] {"name", "version", "manufacturer", "modality", "intendedUse", "license"}) {
            text(card, field);
        }
        String uid = text(card, "uid");
        try {
            Uid.of(uid);
        } catch (IllegalArgumentException e) {
            throw fail("field 'uid' is not a valid UID: " + e.getMessage());
        }
        if (packaged || card.get("file") != null) {
            String file = text(card, "file");
            if (file.contains("/") || file.contains("\\") || !file.endsWith(".pt")) {
                throw fail("field 'file' must name a TorchScript file (*.pt) inside the package, got '" + file + "'");
            }
        }
        checkInput(object(card, "input", "input"));
        int classes = checkOutput(object(card, "output", "output"));
        checkLabels(card, classes);
        checkDomain(card.get("domain"));
        JsonNode confidence = card.get("confidence");
        if (confidence != null && !confidence.isNull()) {
            object(card, "confidence", "confidence");
            JsonNode low = confidence.get("lowBelow");
            if (low != null && !low.isNull() && !(low.isNumber() && low.asDouble() >= 0 && low.asDouble() <= 1)) {
                throw fail("field 'confidence.lowBelow' must be a number in 0..1, got " + low);
            }
            checkLowBelowByLabel(card, confidence.get("lowBelowByLabel"));
        }
    }

    private void checkLowBelowByLabel(JsonNode card, JsonNode byLabel) {
        if (byLabel == null || byLabel.isNull()) {
            return;
        }
        if (!byLabel.isObject()) {
            throw fail("field 'confidence.lowBelowByLabel' must be an object, got " + byLabel);
        }
        Set<String> findings = new TreeSet<>();
        for (JsonNode label : card.get("labels")) {
            if (!ModelCard.Label.ANATOMY.equals(label.path("kind").asText())) {
                findings.add(label.path("name").asText());
            }
        }
        for (Map.Entry<String, JsonNode> entry : byLabel.properties()) {
            if (!findings.contains(entry.getKey())) {
                throw fail("field 'confidence.lowBelowByLabel' names '" + entry.getKey()
                        + "', not a finding label of the card " + findings);
            }
            JsonNode value = entry.getValue();
            if (!(value.isNumber() && value.asDouble() >= 0 && value.asDouble() <= 1)) {
                throw fail("field 'confidence.lowBelowByLabel." + entry.getKey() + "' must be a number in 0..1, got "
                        + value);
            }
        }
    }

    private void checkDomain(JsonNode domain) {
        if (domain == null || domain.isNull()) {
            return;
        }
        if (!domain.isObject()) {
            throw fail("field 'domain' must be an object, got " + domain);
        }
        if (domain.get("modality") != null) {
            text(domain, "modality", "domain.modality");
        }
        JsonNode parts = domain.get("bodyParts");
        if (parts != null && !parts.isNull()) {
            array(domain, "bodyParts", "domain.bodyParts");
            parts.forEach(p -> {
                if (!p.isTextual() || p.asText().isBlank()) {
                    throw fail("field 'domain.bodyParts' must hold non-blank strings, got " + parts);
                }
            });
        }
        optionalPositive(domain, "maxObliquityDeg", "domain.maxObliquityDeg");
        optionalPositive(domain, "minimumCoverageMm", "domain.minimumCoverageMm");
        range(domain, "pixelSpacingMm");
        range(domain, "sliceThicknessMm");
    }

    private void range(JsonNode domain, String field) {
        JsonNode range = domain.get(field);
        if (range == null || range.isNull()) {
            return;
        }
        if (!range.isArray() || range.size() != 2 || !range.get(0).isNumber() || !range.get(1).isNumber()
                || !(range.get(0).asDouble() > 0) || range.get(1).asDouble() < range.get(0).asDouble()) {
            throw fail("field 'domain." + field + "' must be [min, max] with 0 < min <= max, got " + range);
        }
    }

    private void optionalPositive(JsonNode node, String field, String path) {
        if (node.get(field) != null && !node.get(field).isNull()) {
            positive(node, field, path);
        }
    }

    private void checkInput(JsonNode input) {
        expect(input, "layout", "input.layout", "NCHW");
        int channels = integer(input, "channels", "input.channels", 1, 64);
        integer(input, "rows", "input.rows", 8, 4096);
        integer(input, "columns", "input.columns", 8, 4096);
        positive(input, "pixelSpacingMm", "input.pixelSpacingMm");
        optionalPositive(input, "sliceSpacingMm", "input.sliceSpacingMm");
        JsonNode windows = array(input, "windows", "input.windows");
        int slices = 1;
        if (input.get("neighbourSlices") != null && !input.get("neighbourSlices").isNull()) {
            slices = 2 * integer(input, "neighbourSlices", "input.neighbourSlices", 0, 8) + 1;
        }
        if (windows.size() * slices != channels) {
            throw fail("field 'input.windows' must hold one window per channel of each slice the model sees ("
                    + channels + " channels, " + slices + (slices == 1 ? " slice" : " slices") + "), got "
                    + windows.size());
        }
        for (int i = 0; i < windows.size(); i++) {
            String path = "input.windows[" + i + "]";
            JsonNode window = windows.get(i);
            text(window, "name", path + ".name");
            number(window, "center", path + ".center");
            positive(window, "width", path + ".width");
        }
    }

    private int checkOutput(JsonNode output) {
        expect(output, "layout", "output.layout", "NCHW");
        String kind = text(output, "kind", "output.kind");
        if (!kind.equals("logits") && !kind.equals("probabilities")) {
            throw fail("field 'output.kind' must be 'logits' or 'probabilities', got '" + kind + "'");
        }
        return integer(output, "classes", "output.classes", 2, 255);
    }

    private void checkLabels(JsonNode card, int classes) {
        JsonNode labels = array(card, "labels", "labels");
        Set<Integer> values = new HashSet<>();
        Set<String> names = new HashSet<>();
        Set<String> anatomy = new HashSet<>();
        for (JsonNode label : labels) {
            if (ModelCard.Label.ANATOMY.equals(label.path("kind").asText())) {
                anatomy.add(label.path("name").asText());
            }
        }
        for (int i = 0; i < labels.size(); i++) {
            String path = "labels[" + i + "]";
            JsonNode label = labels.get(i);
            int value = integer(label, "value", path + ".value", 1, classes - 1);
            if (!values.add(value)) {
                throw fail("label values must be unique, value " + value + " appears twice");
            }
            String name = text(label, "name", path + ".name");
            if (!names.add(name)) {
                throw fail("label names must be unique, '" + name + "' appears twice");
            }
            checkCode(object(label, "code", path + ".code"), path + ".code");
            JsonNode site = label.get("site");
            if (site != null && !site.isNull()) {
                checkCode(object(label, "site", path + ".site"), path + ".site");
            }
            checkKindAndPlausibility(label, path, anatomy);
            if (anatomy.contains(name) && (label.get("color") == null || label.get("color").isNull())) {
                continue; // an organ is never drawn as a finding: its colour is optional
            }
            JsonNode color = array(label, "color", path + ".color");
            if (color.size() != 3) {
                throw fail("field '" + path + ".color' must hold 3 values (RGB), got " + color.size());
            }
            for (int c = 0; c < 3; c++) {
                if (!color.get(c).canConvertToInt() || color.get(c).asInt() < 0 || color.get(c).asInt() > 255) {
                    throw fail("field '" + path + ".color' must hold integers 0..255, got " + color);
                }
            }
        }
    }

    private void checkKindAndPlausibility(JsonNode label, String path, Set<String> anatomy) {
        JsonNode kind = label.get("kind");
        if (kind != null && !kind.isNull() && !ModelCard.Label.FINDING.equals(kind.asText())
                && !ModelCard.Label.ANATOMY.equals(kind.asText())) {
            throw fail("field '" + path + ".kind' must be 'finding' or 'anatomy', got " + kind);
        }
        JsonNode detection = label.get("detection");
        if (detection != null && !detection.isNull()) {
            object(label, "detection", path + ".detection");
            optionalPositive(detection, "minimumVolumeMl", path + ".detection.minimumVolumeMl");
            JsonNode confidence = detection.get("minimumConfidence");
            if (confidence != null && !confidence.isNull()
                    && (!confidence.isNumber() || confidence.asDouble() < 0 || confidence.asDouble() > 1)) {
                throw fail("field '" + path + ".detection.minimumConfidence' must be a number in 0..1, got "
                        + confidence);
            }
        }
        JsonNode plausibility = label.get("plausibility");
        if (plausibility == null || plausibility.isNull()) {
            return;
        }
        String at = path + ".plausibility";
        object(label, "plausibility", at);
        optionalPositive(plausibility, "maxDiameterMm", at + ".maxDiameterMm");
        JsonNode elongation = plausibility.get("maxElongation");
        if (elongation != null && !elongation.isNull() && (!elongation.isNumber() || !(elongation.asDouble() >= 1))) {
            throw fail("field '" + at + ".maxElongation' must be a number of at least 1 (a sphere's), got " + elongation);
        }
        JsonNode within = plausibility.get("withinAnatomy");
        if (within != null && !within.isNull() && !anatomy.contains(within.asText())) {
            throw fail("field '" + at + ".withinAnatomy' must name a label of kind 'anatomy' " + anatomy.stream()
                    .sorted().toList() + ", got " + within);
        }
        JsonNode larger = plausibility.get("larger");
        if (larger != null && !larger.isNull()) {
            object(plausibility, "larger", at + ".larger");
            text(larger, "name", at + ".larger.name");
            checkCode(object(larger, "code", at + ".larger.code"), at + ".larger.code");
        }
    }

    private void checkCode(JsonNode code, String path) {
        for (String part : new String[] {"system", "dicomScheme", "code", "display"}) {
            text(code, part, path + "." + part);
        }
    }

    private String text(JsonNode node, String field) {
        return text(node, field, field);
    }

    private String text(JsonNode node, String field, String path) {
        JsonNode value = required(node, field, path);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw fail("field '" + path + "' must be a non-blank string, got " + value);
        }
        return value.asText();
    }

    private void expect(JsonNode node, String field, String path, String expected) {
        String value = text(node, field, path);
        if (!value.equals(expected)) {
            throw fail("field '" + path + "' must be '" + expected + "', got '" + value + "'");
        }
    }

    private int integer(JsonNode node, String field, String path, int min, int max) {
        JsonNode value = required(node, field, path);
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < min || value.asInt() > max) {
            throw fail("field '" + path + "' must be an integer in " + min + ".." + max + ", got " + value);
        }
        return value.asInt();
    }

    private double number(JsonNode node, String field, String path) {
        JsonNode value = required(node, field, path);
        if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
            throw fail("field '" + path + "' must be a number, got " + value);
        }
        return value.asDouble();
    }

    private void positive(JsonNode node, String field, String path) {
        double value = number(node, field, path);
        if (value <= 0) {
            throw fail("field '" + path + "' must be positive, got " + value);
        }
    }

    private JsonNode object(JsonNode node, String field, String path) {
        JsonNode value = required(node, field, path);
        if (!value.isObject()) {
            throw fail("field '" + path + "' must be an object, got " + value);
        }
        return value;
    }

    private JsonNode array(JsonNode node, String field, String path) {
        JsonNode value = required(node, field, path);
        if (!value.isArray() || value.isEmpty()) {
            throw fail("field '" + path + "' must be a non-empty array, got " + value);
        }
        return value;
    }

    private JsonNode required(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw fail("field '" + path + "' is required");
        }
        return value;
    }

    private ModelPackageException fail(String problem) {
        return new ModelPackageException(packageName, problem);
    }

    private ModelPackageException fail(String problem, Throwable cause) {
        return new ModelPackageException(packageName, problem, cause);
    }
}
