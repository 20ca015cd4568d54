package org.groundflow.inference;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.Objects;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.SeriesAcquisition;

/**
 * What every interpreter checks before it reads a series: the card's modality and axial slices and, when the card
 * declares a domain, the rules of {@link ModelDomain} that the decoded volume shows (orientation, spacing, coverage;
 * Body Part Examined and Slice Thickness are checked where the series is chosen, from its headers).
 */
public final class ReadableSeries {

    /** Slices whose normal is tilted further from the patient z axis than this (cosine) are not axial. */
    static final double AXIAL_TOLERANCE = 0.9;

    private ReadableSeries() {
    }

    /** @throws InferenceException naming the model and the series when the model cannot read the series */
    public static void check(ModelCard card, ImageVolume volume) {
        Objects.requireNonNull(card, "card");
        Objects.requireNonNull(volume, "volume");
        String modality = card.modality();
        if (volume.modality() != null && !volume.modality().equalsIgnoreCase(modality)) {
            throw new InferenceException("model " + card.title() + " reads " + modality + ", series "
                    + volume.seriesInstanceUid() + " is " + volume.modality());
        }
        List<ModelDomain.Violation> outside = ModelDomain.violations(card,
                SeriesAcquisition.of(volume.geometry()));
        if (!outside.isEmpty()) {
            throw new InferenceException("model " + card.title() + " cannot read " + outside.stream()
                    .map(ModelDomain.Violation::message).collect(Collectors.joining("; ")));
        }
        double[] normal = volume.sliceNormal();
        if (card.domain() == null && Math.abs(normal[2]) < AXIAL_TOLERANCE) {
            throw new InferenceException("model " + card.title() + " reads axial slices, series "
                    + volume.seriesInstanceUid() + " has slice normal " + Arrays.toString(normal));
        }
    }
}
