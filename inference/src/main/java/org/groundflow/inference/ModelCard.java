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
        Evaluation evaluation) {

    public ModelCard {
        labels = List.copyOf(labels);
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

    /**
     * Model input. Channel i is {@code clip((HU - (center - width / 2)) / width, 0, 1)} of window i.
     *
     * @param pixelSpacingMm in-plane pixel spacing the model was trained at; slices are resampled to it
     */
    public record Input(String layout, int channels, int rows, int columns, double pixelSpacingMm,
                        String spacingPolicy, List<Window> windows, String normalisation) {

        public Input {
            windows = List.copyOf(windows);
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
     * @param site finding site of the label, e.g. SNOMED CT 39607008 "Lung" for a nodule; null when the card names
     *             none
     */
    public record Label(int value, String name, Code code, List<Integer> color, Code site) {

        public Label {
            color = List.copyOf(color);
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
