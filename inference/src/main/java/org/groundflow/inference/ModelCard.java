package org.groundflow.inference;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.Uid;

/**
 * The model card ({@code model.json}) of a model package: what the model is, what it expects and what it labels.
 * Read and checked by {@link ModelCardReader}; {@code training} and {@code evaluation} may be absent.
 */
public record ModelCard(
        String name,
        String version,
        String uid,
        String manufacturer,
        String modality,
        String file,
        Input input,
        Output output,
        List<Label> labels,
        String intendedUse,
        String license,
        Training training,
        Evaluation evaluation,
        Domain domain,
        ConfidencePolicy confidence) {

    public ModelCard {
        labels = List.copyOf(labels);
        confidence = confidence == null ? ConfidencePolicy.NONE : confidence;
    }

    /** A card without a declared domain or confidence policy (both optional in {@code model.json}). */
    public ModelCard(String name, String version, String uid, String manufacturer, String modality, String file,
                     Input input, Output output, List<Label> labels, String intendedUse, String license,
                     Training training, Evaluation evaluation) {
        this(name, version, uid, manufacturer, modality, file, input, output, labels, intendedUse, license, training,
                evaluation, null, null);
    }

    /** Who made a result, as DICOM and FHIR outputs name the model. */
    public ModelIdentity identity() {
        return new ModelIdentity(name, version, Uid.of(uid), manufacturer);
    }

    /** "name version", for messages and logs. */
    public String title() {
        return name + " " + version;
    }

    public Optional<Label> label(int value) {
        return labels.stream().filter(l -> l.value() == value).findFirst();
    }

    /** The labels that become findings (kind "finding" or no kind). */
    public List<Label> findingLabels() {
        return labels.stream().filter(l -> !l.anatomy()).toList();
    }

    /** The labels of organs (kind "anatomy"): they give findings their site and are never findings themselves. */
    public List<Label> anatomyLabels() {
        return labels.stream().filter(Label::anatomy).toList();
    }

    public Optional<Label> label(String name) {
        return labels.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /**
     * Model input for one slice of the model grid: for each slice from {@code neighbourSlices} below to
     * {@code neighbourSlices} above it (the nearest slice of the grid at its ends), one channel per window, where
     * channel i of a slice is {@code clip((HU - (center - width / 2)) / width, 0, 1)} of window i; so
     * {@code channels = windows x (2 neighbourSlices + 1)}.
     *
     * @param pixelSpacingMm  in-plane pixel spacing the model was trained at; slices are resampled to it
     * @param sliceSpacingMm  through-plane spacing the series is resampled to; null: the series' own slice spacing
     * @param neighbourSlices slices of context on each side of the slice segmented; null: none
     */
    public record Input(String layout, int channels, int rows, int columns, double pixelSpacingMm,
                        String spacingPolicy, List<Window> windows, String normalisation, Double sliceSpacingMm,
                        Integer neighbourSlices) {

        public Input {
            windows = List.copyOf(windows);
        }

        public Input(String layout, int channels, int rows, int columns, double pixelSpacingMm, String spacingPolicy,
                     List<Window> windows, String normalisation) {
            this(layout, channels, rows, columns, pixelSpacingMm, spacingPolicy, windows, normalisation, null, null);
        }

        /** Slices of context on each side of the slice segmented (0 for a model that sees one slice). */
        public int contextSlices() {
            return neighbourSlices == null ? 0 : neighbourSlices;
        }
    }

    /** An intensity window (HU). */
    public record Window(String name, double center, double width) {

        public double lower() {
            return center - width / 2.0;
        }
    }

    /** Model output: {@code kind} is "logits" or "probabilities" over {@code classes} classes, class 0 background. */
    public record Output(String layout, int classes, String kind) {

        public boolean logits() {
            return "logits".equals(kind);
        }
    }

    /**
     * A class the model outputs: its value (class index), name, code, display colour (RGB) and, optionally, the
     * anatomic site its findings lie in.
     *
     * @param site         finding site of the label, e.g. SNOMED CT 39607008 "Lung" for a nodule; null when the card
     *                     names none
     * @param kind         {@value #FINDING} (also when absent) or {@value #ANATOMY} (an organ: gives findings their
     *                     site, never a finding itself)
     * @param plausibility what a finding of this label may be; null: anything the model segments
     * @param detection    what a segment of this label must reach to be a finding at all; null: the extractor's
     *                     default minimum volume and any confidence
     */
    public record Label(int value, String name, Code code, List<Integer> color, Code site, String kind,
                        Plausibility plausibility, Detection detection) {

        public static final String FINDING = "finding";
        public static final String ANATOMY = "anatomy";

        public Label {
            color = color == null ? List.of() : List.copyOf(color);
            kind = kind == null ? FINDING : kind;
        }

        public Label(int value, String name, Code code, List<Integer> color, Code site) {
            this(value, name, code, color, site, FINDING, null, null);
        }

        public boolean anatomy() {
            return ANATOMY.equals(kind);
        }

        /** The label's code as DICOM writes it (scheme designator, e.g. SCT for SNOMED CT). */
        public CodedConcept concept() {
            return code.concept();
        }

        /** The label's finding site as DICOM writes it, or null when the card names none. */
        public CodedConcept siteConcept() {
            return site == null ? null : site.concept();
        }
    }

    /**
     * A coded concept in both spellings.
     *
     * @param system      FHIR code system URI, e.g. http://snomed.info/sct
     * @param dicomScheme DICOM coding scheme designator, e.g. SCT
     */
    public record Code(String system, String dicomScheme, String code, String display) {

        /** This code as DICOM writes it. */
        public CodedConcept concept() {
            return new CodedConcept(code, dicomScheme, display);
        }
    }

    /**
     * When a finding of a label is implausible.
     *
     * @param maxDiameterMm  a finding whose greatest diameter exceeds this is reworded to {@code larger} or, without
     *                       one, set aside; null: no limit
     * @param withinAnatomy  name of the anatomy label a finding must lie in (its site); null: anywhere
     * @param larger         the label's word and code for a finding above {@code maxDiameterMm}, e.g. "mass"
     * @param maxElongation  a finding longer than this many times its width along its principal axes (e.g. a vessel
     *                       or a sliver along an organ's edge, where the label names a round lesion) is set aside; at
     *                       least 1; null: any shape. See {@code Morphometry.elongation}
     */
    public record Plausibility(Double maxDiameterMm, String withinAnatomy, Larger larger, Double maxElongation) {
    }

    /**
     * The operating point the model's evaluation was measured at: a segment below either bound is not reported.
     *
     * @param minimumVolumeMl   least volume of a finding; null: the extractor's default
     * @param minimumConfidence least mean probability of the label over the segment (0..1); null: any. Not applied
     *                          when the model gives no probabilities
     */
    public record Detection(Double minimumVolumeMl, Double minimumConfidence) {
    }

    /** What a finding too large for its label is called instead. */
    public record Larger(String name, Code code) {
    }

    /**
     * What the model was trained on; a series outside it is not read (see {@link ModelDomain}). Every part is
     * optional: a missing part accepts anything.
     *
     * @param bodyParts         accepted Body Part Examined values (a series without the attribute is accepted)
     * @param maxObliquityDeg   largest angle between the slice normal and the patient's head-feet axis
     * @param pixelSpacingMm    [min, max] in-plane spacing
     * @param sliceThicknessMm  [min, max] slice thickness (the slice spacing when the series gives no thickness)
     * @param minimumCoverageMm least extent of the series along the slice normal
     */
    public record Domain(String modality, List<String> bodyParts, Double maxObliquityDeg, List<Double> pixelSpacingMm,
                         List<Double> sliceThicknessMm, Double minimumCoverageMm) {

        public Domain {
            bodyParts = bodyParts == null ? List.of() : List.copyOf(bodyParts);
            pixelSpacingMm = pixelSpacingMm == null ? List.of() : List.copyOf(pixelSpacingMm);
            sliceThicknessMm = sliceThicknessMm == null ? List.of() : List.copyOf(sliceThicknessMm);
        }
    }

    /**
     * When a finding's confidence is flagged as low.
     *
     * @param lowBelow        findings whose confidence is below this are flagged; null: none flagged
     * @param lowBelowByLabel the same bound for the findings of one finding label (by name), in place of
     *                        {@code lowBelow}; e.g. where the model's evaluation still found false findings
     */
    public record ConfidencePolicy(Double lowBelow, Map<String, Double> lowBelowByLabel) {

        static final ConfidencePolicy NONE = new ConfidencePolicy(null, null);

        public ConfidencePolicy {
            lowBelowByLabel = lowBelowByLabel == null ? Map.of() : Map.copyOf(lowBelowByLabel);
        }

        /** Whether a finding of this label (its name as reported) and confidence is flagged as low. */
        public boolean low(String label, Double confidence) {
            Double bound = lowBelowByLabel.getOrDefault(label, lowBelow);
            return bound != null && confidence != null && confidence < bound;
        }
    }

    /** How the model was trained (informational). */
    public record Training(String script, long seed, int cases, int epochs, double seconds) {
    }

    /** How the model did on held-out data (informational). */
    public record Evaluation(int heldOutCases, double lesionSensitivity, Map<String, Double> perLabelSensitivity,
                             double meanDice, Map<String, Double> perLabelDice) {

        public Evaluation {
            perLabelSensitivity = perLabelSensitivity == null ? Map.of() : Map.copyOf(perLabelSensitivity);
            perLabelDice = perLabelDice == null ? Map.of() : Map.copyOf(perLabelDice);
        }
    }
}
