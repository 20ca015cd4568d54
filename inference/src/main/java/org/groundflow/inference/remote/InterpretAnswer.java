package org.groundflow.inference.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.inference.LabelMap;
import org.groundflow.inference.ModelCard;

/**
 * A model server's answer to {@code POST /v1/interpret} (CONTRACT.md, "Response"), checked against the card and the
 * volume that was sent, and painted into a label map on the volume's grid. Every rule broken is a
 * {@link RemoteInterpretationException} naming the field and the bad value.
 *
 * @param segments how many segments the server drew
 * @param findings how many grounded sentences the server wrote (each checked: phrase inside its text, tied to a
 *                 segment of the same label)
 * @param warnings the server's warnings, e.g. phrases it could not map to a label of its card
 */
record InterpretAnswer(LabelMap labels, int segments, int findings, List<String> warnings) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static InterpretAnswer read(byte[] body, ModelCard card, ImageVolume volume, String server) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new RemoteInterpretationException("model server " + server + " answered with invalid JSON: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new RemoteInterpretationException("model server " + server + " answer cannot be read", e);
        }
        return new Reader(card, volume, server).read(root);
    }

    private static final class Reader {

        private final ModelCard card;
        private final ImageVolume volume;
        private final String server;

        Reader(ModelCard card, ImageVolume volume, String server) {
            this.card = card;
            this.volume = volume;
            this.server = server;
        }

        InterpretAnswer read(JsonNode root) {
            if (root == null || !root.isObject()) {
                throw fail("the answer must be a JSON object");
            }
            JsonNode model = object(root, "model");
            String uid = text(model, "uid", "model.uid");
            if (!uid.equals(card.uid())) {
                throw fail("field 'model.uid' is " + uid + ", but the server's card names " + card.uid()
                        + " (the model changed since the client connected)");
            }
            int perSlice = volume.voxelsPerSlice();
            byte[] labels = new byte[perSlice * volume.slices()];
            float[] confidence = new float[labels.length];
            Map<String, Integer> sliceOf = new HashMap<>();
            for (int z = 0; z < volume.slices(); z++) {
                sliceOf.put(volume.sopInstanceUids().get(z).value(), z);
            }
            Map<Integer, String> segmentLabels = new HashMap<>();
            JsonNode segments = array(root, "segments");
            for (int i = 0; i < segments.size(); i++) {
                paint(segments.get(i), "segments[" + i + "]", sliceOf, labels, confidence, segmentLabels);
            }
            JsonNode findings = array(root, "findings");
            for (int i = 0; i < findings.size(); i++) {
                checkFinding(findings.get(i), "findings[" + i + "]", segmentLabels);
            }
            List<String> warnings = new ArrayList<>();
            JsonNode warningNodes = root.get("warnings");
            if (warningNodes != null && warningNodes.isArray()) {
                warningNodes.forEach(w -> warnings.add(w.asText()));
            }
            return new InterpretAnswer(new LabelMap(volume.columns(), volume.rows(), volume.slices(), labels, confidence),
                    segments.size(), findings.size(), List.copyOf(warnings));
        }

        /** Paints one segment; voxels already painted by an earlier segment keep that segment's label. */
        private void paint(JsonNode segment, String path, Map<String, Integer> sliceOf, byte[] labels,
                           float[] confidence, Map<Integer, String> segmentLabels) {
            int number = segment.path("number").asInt(-1);
            if (!segment.path("number").isIntegralNumber() || number < 1) {
                throw fail("field '" + path + ".number' must be an integer >= 1, got " + segment.get("number"));
            }
            String name = text(segment, "label", path + ".label");
            ModelCard.Label label = card.labels().stream().filter(l -> l.name().equals(name)).findFirst()
                    .orElseThrow(() -> fail("field '" + path + ".label' is '" + name + "', not a label of the card "
                            + card.title()));
            if (segmentLabels.put(number, name) != null) {
                throw fail("segment number " + number + " appears twice");
            }
            float p = Float.NaN; // no confidence given: the finding carries none
            JsonNode given = segment.get("confidence");
            if (given != null && !given.isNull()) {
                if (!given.isNumber() || !(given.asDouble() >= 0 && given.asDouble() <= 1)) {
                    throw fail("field '" + path + ".confidence' must be a number in 0..1, got " + given);
                }
                p = (float) given.asDouble();
            }
            int perSlice = volume.voxelsPerSlice();
            JsonNode rle = array(segment, "rle", path + ".rle");
            Set<Integer> seen = new HashSet<>();
            for (int j = 0; j < rle.size(); j++) {
                String slicePath = path + ".rle[" + j + "]";
                String sop = text(rle.get(j), "sopInstanceUid", slicePath + ".sopInstanceUid");
                Integer z = sliceOf.get(sop);
                if (z == null) {
                    throw fail("field '" + slicePath + ".sopInstanceUid' is " + sop + ", not a slice of the request");
                }
                if (!seen.add(z)) {
                    throw fail("segment " + number + " has two masks for slice " + sop);
                }
                long[] counts = counts(rle.get(j), slicePath + ".counts");
                int base = z * perSlice;
                byte value = (byte) label.value();
                float conf = p;
                try {
                    RunLength.decode(counts, perSlice, (from, to) -> {
                        for (int v = base + from; v < base + to; v++) {
                            if (labels[v] == 0) {
                                labels[v] = value;
                                confidence[v] = conf;
                            }
                        }
                    });
                } catch (IllegalArgumentException e) {
                    throw fail("field '" + slicePath + ".counts' breaks the run-length code: " + e.getMessage());
                }
            }
        }

        private void checkFinding(JsonNode finding, String path, Map<Integer, String> segmentLabels) {
            String text = text(finding, "text", path + ".text");
            String phrase = text(finding, "phrase", path + ".phrase");
            if (!text.contains(phrase)) {
                throw fail("field '" + path + ".phrase' ('" + phrase + "') is not part of its text ('" + text + "')");
            }
            int segment = finding.path("segment").asInt(-1);
            String label = segmentLabels.get(segment);
            if (!finding.path("segment").isIntegralNumber() || label == null) {
                throw fail("field '" + path + ".segment' must name a segment of the answer, got " + finding.get("segment"));
            }
            String findingLabel = text(finding, "label", path + ".label");
            if (!findingLabel.equals(label)) {
                throw fail("field '" + path + ".label' is '" + findingLabel + "', its segment " + segment + " is '"
                        + label + "'");
            }
        }

        private long[] counts(JsonNode node, String path) {
            JsonNode counts = node.get("counts");
            if (counts == null || !counts.isArray()) {
                throw fail("field '" + path + "' must be an array of run lengths");
            }
            long[] values = new long[counts.size()];
            for (int i = 0; i < values.length; i++) {
                if (!counts.get(i).isIntegralNumber()) {
                    throw fail("field '" + path + "[" + i + "]' must be an integer, got " + counts.get(i));
                }
                values[i] = counts.get(i).asLong();
            }
            return values;
        }

        private JsonNode object(JsonNode node, String field) {
            JsonNode value = node.get(field);
            if (value == null || !value.isObject()) {
                throw fail("field '" + field + "' must be an object, got " + value);
            }
            return value;
        }

        private JsonNode array(JsonNode node, String field) {
            return array(node, field, field);
        }

        private JsonNode array(JsonNode node, String field, String path) {
            JsonNode value = node.get(field);
            if (value == null || !value.isArray()) {
                throw fail("field '" + path + "' must be an array, got " + value);
            }
            return value;
        }

        private String text(JsonNode node, String field, String path) {
            JsonNode value = node.get(field);
            if (value == null || !value.isTextual() || value.asText().isBlank()) {
                throw fail("field '" + path + "' must be a non-blank string, got " + value);
            }
            return value.asText();
        }

        private RemoteInterpretationException fail(String problem) {
            return new RemoteInterpretationException("model server " + server + " broke the contract for series "
                    + volume.seriesInstanceUid() + ": " + problem);
        }
    }
}
