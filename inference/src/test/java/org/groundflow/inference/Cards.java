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
}
