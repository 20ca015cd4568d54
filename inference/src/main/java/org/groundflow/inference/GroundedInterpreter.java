package org.groundflow.inference;

import java.util.Arrays;
import java.util.Objects;
import org.groundflow.dicomweb.ImageVolume;

/** Reads a volume: the model labels its voxels, the extractor turns the labels into grounded findings and masks. */
public final class GroundedInterpreter {

    /** Slices whose normal is tilted further from the patient z axis than this (cosine) are not axial. */
    private static final double AXIAL_TOLERANCE = 0.9;

    private final SegmentationModel model;
    private final FindingExtractor extractor;

    public GroundedInterpreter(SegmentationModel model) {
        this(model, new FindingExtractor(model.card()));
    }

    public GroundedInterpreter(SegmentationModel model, FindingExtractor extractor) {
        this.model = Objects.requireNonNull(model, "model");
        this.extractor = Objects.requireNonNull(extractor, "extractor");
    }

    public InterpretationResult interpret(ImageVolume volume) {
        Objects.requireNonNull(volume, "volume");
        String modality = model.card().modality();
        if (volume.modality() != null && !volume.modality().equalsIgnoreCase(modality)) {
            throw new InferenceException("model " + model.card().title() + " reads " + modality + ", series "
                    + volume.seriesInstanceUid() + " is " + volume.modality());
        }
        double[] normal = volume.sliceNormal();
        if (Math.abs(normal[2]) < AXIAL_TOLERANCE) {
            throw new InferenceException("model " + model.card().title() + " reads axial slices, series "
                    + volume.seriesInstanceUid() + " has slice normal " + Arrays.toString(normal));
        }
        return extractor.extract(volume, model.predict(volume));
    }

    public ModelCard card() {
        return model.card();
    }
}
