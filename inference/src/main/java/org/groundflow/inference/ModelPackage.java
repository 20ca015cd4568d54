package org.groundflow.inference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model package: a folder with the model card {@code model.json} and the TorchScript file the card names.
 * Obtained only through {@link #load(Path)} or {@link #bundledDemo()}, so a package in hand has a checked card and
 * an existing model file. Whether the model matches its card is checked when {@link SegmentationModel} loads it.
 */
public final class ModelPackage {

    /** The demo model shipped in this jar (trained by inference/training/train_demo_model.py). */
    public static final String DEMO_RESOURCE = "org/groundflow/inference/demo-model/";
    public static final String CARD_FILE = "model.json";

    private static final Logger log = LoggerFactory.getLogger(ModelPackage.class);
    private static ModelPackage demo;

    private final Path directory;
    private final ModelCard card;

    private ModelPackage(Path directory, ModelCard card) {
        this.directory = directory;
        this.card = card;
    }

    /** Reads and checks the package in {@code directory}. */
    public static ModelPackage load(Path directory) {
        Objects.requireNonNull(directory, "directory");
        String where = directory.toString();
        if (!Files.isDirectory(directory)) {
            throw new ModelPackageException(where, "not a directory");
        }
        Path cardFile = directory.resolve(CARD_FILE);
        if (!Files.isRegularFile(cardFile)) {
            throw new ModelPackageException(where, "no " + CARD_FILE + " in the package");
        }
        ModelCard card;
        try {
            card = ModelCardReader.read(Files.readAllBytes(cardFile), where);
        } catch (IOException e) {
            throw new ModelPackageException(where, "cannot read " + CARD_FILE + ": " + e.getMessage(), e);
        }
        Path model = directory.resolve(card.file());
        if (!Files.isRegularFile(model)) {
            throw new ModelPackageException(where, "model file '" + card.file() + "' named by the card does not exist");
        }
        log.info("Model package {} ({}) loaded from {}", card.title(), card.uid(), directory);
        return new ModelPackage(directory, card);
    }

    /**
     * The demo package shipped as classpath resources, copied once per JVM into a temporary folder (the engine
     * loads models from files).
     */
    public static synchronized ModelPackage bundledDemo() {
        if (demo == null) {
            demo = load(copyDemo());
        }
        return demo;
    }

    private static Path copyDemo() {
        String where = "classpath:" + DEMO_RESOURCE;
        try {
            Path dir = Files.createTempDirectory("groundflow-demo-model-");
            dir.toFile().deleteOnExit();
            for (String file : new String[] {CARD_FILE, "model.pt"}) {
                try (InputStream in = ModelPackage.class.getClassLoader().getResourceAsStream(DEMO_RESOURCE + file)) {
                    if (in == null) {
                        throw new ModelPackageException(where, "resource " + file + " is missing from the classpath");
                    }
                    Path target = dir.resolve(file);
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    target.toFile().deleteOnExit();
                }
            }
            return dir;
        } catch (IOException e) {
            throw new ModelPackageException(where, "cannot copy the bundled model to a temporary folder", e);
        }
    }

    public Path directory() {
        return directory;
    }

    public ModelCard card() {
        return card;
    }

    /** The TorchScript file. */
    public Path modelFile() {
        return directory.resolve(card.file());
    }

    /** The package as messages name it: card name, version and folder. */
    public String describe() {
        return card.title() + " (" + directory + ")";
    }

    @Override
    public String toString() {
        return "ModelPackage[" + describe() + "]";
    }
}
