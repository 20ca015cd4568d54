package org.groundflow.inference;

import java.util.Objects;
import org.groundflow.dicomweb.volume.ImageVolume;

/** Reads a volume: the model labels its voxels, the extractor turns the labels into grounded findings and masks. */
public final class GroundedInterpreter implements Interpreter {

    private final SegmentationModel model;
    private final FindingExtractor extractor;

    public GroundedInterpreter(SegmentationModel model) {
        this(model, new FindingExtractor(model.card()));
    }

    public GroundedInterpreter(SegmentationModel model, FindingExtractor extractor) {
        this.model = Objects.requireNonNull(model, "model");
        this.extractor = Objects.requireNonNull(extractor, "extractor");
    }

    @Override
    public InterpretationResult interpret(ImageVolume volume) {
        ReadableSeries.check(model.card(), volume);
        return extractor.extract(volume, model.predict(volume));
    }

    @Override
    public ModelCard card() {
        return model.card();
    }
}
