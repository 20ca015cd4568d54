package org.groundflow.inference;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The shipped demo card as bytes and as a checked card, without loading the model. */
final class Cards {

    private Cards() {
    }

    static byte[] demoJson() {
        try (InputStream in = Cards.class.getClassLoader()
                .getResourceAsStream(ModelPackage.DEMO_RESOURCE + ModelPackage.CARD_FILE)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A card as the package contract writes it: finding and anatomy labels, plausibility, domain, confidence. */
    static ModelCard contract() {
        try (InputStream in = Cards.class.getResourceAsStream("contract-card.json")) {
            return ModelCardReader.read(in.readAllBytes(), "contract");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ModelCard demo() {
        return ModelCardReader.read(demoJson(), "demo");
    }

    /** The demo card with each finding label's detection bounds replaced: null removes them. */
    static ModelCard demoDetecting(Double minimumVolumeMl, Double minimumConfidence) {
        try {
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            com.fasterxml.jackson.databind.node.ObjectNode card =
                    (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(demoJson());
            card.get("labels").forEach(l -> {
                com.fasterxml.jackson.databind.node.ObjectNode label = (com.fasterxml.jackson.databind.node.ObjectNode) l;
                label.remove("detection");
                if (!"anatomy".equals(label.path("kind").asText()) && (minimumVolumeMl != null || minimumConfidence != null)) {
                    label.putObject("detection").put("minimumVolumeMl", minimumVolumeMl)
                            .put("minimumConfidence", minimumConfidence);
                }
            });
            return ModelCardReader.read(json.writeValueAsBytes(card), "demo");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The demo card without its operating point: every segment of at least the extractor's volume is a finding. */
    static ModelCard demoWithoutDetection() {
        return demoDetecting(null, null);
    }
}
