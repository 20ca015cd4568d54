package org.groundflow.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.groundflow.dicomweb.volume.SeriesAcquisition;
import org.groundflow.dicomweb.volume.VolumeGeometry;

/**
 * Whether a series lies in what a model was trained on, by the card's {@code domain}: modality, Body Part Examined,
 * obliquity (angle between the slice normal and the patient's head-feet axis, whichever way the rows and columns
 * run), in-plane pixel spacing, slice thickness and coverage (slices times slice spacing, along the normal). A part
 * the card leaves out accepts anything; so does a value the series does not state (no Body Part Examined, no Slice
 * Thickness: then the slice spacing stands for it). Each broken rule is one {@link Violation} whose message names
 * the series, the value and the model's range.
 */
public final class ModelDomain {

    private ModelDomain() {
    }

    /** One rule a series breaks, e.g. rule "sliceThickness", "series 1.2.3: slice thickness 7 mm is outside ...". */
    public record Violation(String rule, String message) {

        public Violation {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(message, "message");
        }
    }

    /** The rules of the card's domain the series breaks; empty when it is in the domain (or the card has none). */
    public static List<Violation> violations(ModelCard card, SeriesAcquisition series) {
        Objects.requireNonNull(card, "card");
        Objects.requireNonNull(series, "series");
        VolumeGeometry g = series.geometry();
        String name = "series " + g.seriesInstanceUid();
        List<Violation> found = new ArrayList<>();
        ModelCard.Domain domain = card.domain();
        String modality = domain != null && domain.modality() != null ? domain.modality() : card.modality();
        if (g.modality() != null && !g.modality().isBlank() && !g.modality().equalsIgnoreCase(modality)) {
            found.add(new Violation("modality", name + ": modality " + g.modality() + " is not this model's "
                    + modality));
        }
        if (domain == null) {
            return found;
        }
        String part = series.bodyPartExamined();
        if (!domain.bodyParts().isEmpty() && part != null && !part.isBlank()
                && domain.bodyParts().stream().noneMatch(p -> p.equalsIgnoreCase(part.strip()))) {
            found.add(new Violation("bodyPart", name + ": body part " + part.strip() + " is not one of this model's "
                    + String.join(", ", domain.bodyParts())));
        }
        if (domain.maxObliquityDeg() != null) {
            double degrees = obliquityDeg(g);
            if (degrees > domain.maxObliquityDeg() + 1e-6) {
                found.add(new Violation("obliquity", name + ": slices are tilted " + mm(degrees)
                        + "° from axial, more than this model's " + mm(domain.maxObliquityDeg()) + "°"));
            }
        }
        double spacing = Math.max(g.rowSpacing(), g.columnSpacing());
        double fine = Math.min(g.rowSpacing(), g.columnSpacing());
        List<Double> pixel = domain.pixelSpacingMm();
        if (!pixel.isEmpty() && (fine < pixel.get(0) - 1e-6 || spacing > pixel.get(1) + 1e-6)) {
            String value = fine == spacing ? mm(spacing) : mm(g.rowSpacing()) + " x " + mm(g.columnSpacing());
            found.add(new Violation("pixelSpacing", name + ": pixel spacing " + value + " mm is outside this model's "
                    + range(pixel) + " mm"));
        }
        double thickness = series.sliceThicknessMm() != null && series.sliceThicknessMm() > 0
                ? series.sliceThicknessMm() : g.sliceSpacing();
        List<Double> thick = domain.sliceThicknessMm();
        if (!thick.isEmpty() && (thickness < thick.get(0) - 1e-6 || thickness > thick.get(1) + 1e-6)) {
            found.add(new Violation("sliceThickness", name + ": slice thickness " + mm(thickness)
                    + " mm is outside this model's " + range(thick) + " mm"));
        }
        if (domain.minimumCoverageMm() != null) {
            double coverage = coverageMm(g);
            if (coverage < domain.minimumCoverageMm() - 1e-6) {
                found.add(new Violation("coverage", name + ": it covers " + mm(coverage) + " mm along the slice "
                        + "normal, less than this model's minimum of " + mm(domain.minimumCoverageMm()) + " mm"));
            }
        }
        return found;
    }

    /** Angle (degrees) between the slice normal and the patient's head-feet axis; 0 for axial slices either way up. */
    static double obliquityDeg(VolumeGeometry geometry) {
        double z = Math.min(1.0, Math.abs(geometry.sliceNormal()[2]));
        return Math.toDegrees(Math.acos(z));
    }

    /** Extent of the series along its normal: slices times slice spacing. */
    static double coverageMm(VolumeGeometry geometry) {
        return geometry.slices() * Math.abs(geometry.sliceSpacing());
    }

    private static String range(List<Double> range) {
        return mm(range.get(0)) + "–" + mm(range.get(1));
    }

    /** 7, 0.625, 1.5: as few decimals as the value needs (up to three). */
    private static String mm(double value) {
        String text = String.format(Locale.ROOT, "%.3f", value);
        return text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
    }
}
