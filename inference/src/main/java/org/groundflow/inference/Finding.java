package org.groundflow.inference;

import java.util.Objects;
import org.groundflow.dicomweb.CodedConcept;

/**
 * One grounded finding: a sentence whose {@code phrase} names the region that segment {@code segmentNumber} outlines.
 *
 * @param number        1-based number of the finding within its interpretation
 * @param label         the model's label name (e.g. "nodule")
 * @param code          the finding's SNOMED CT concept
 * @param text          the whole sentence
 * @param phrase        the part of {@code text} tied to the segment (a substring of it)
 * @param segmentNumber the segment that grounds the phrase (1-based, as in DICOM-SEG)
 * @param confidence    the model's confidence, 0..1: the mean probability of its label over its segment (a model
 *                      server's own figure); null when the model gave none
 * @param location      location words, e.g. "right upper zone", written from {@code laterality} and the finding's
 *                      height in the scan
 * @param site          where the finding lies (SNOMED CT, e.g. SCT 39607008 "Lung"), as the model card names it for
 *                      the label; null when the card names no site or the finding was stored without one
 * @param laterality    the side of the patient it lies on; null when not known (a finding stored without one)
 */
public record Finding(
        int number,
        String label,
        CodedConcept code,
        String text,
        String phrase,
        int segmentNumber,
        Double confidence,
        Measurements measurements,
        String location,
        CodedConcept site,
        Laterality laterality) {

    public Finding {
        if (number < 1) {
            throw new IllegalArgumentException("finding number must be >= 1, got " + number);
        }
        if (segmentNumber < 1) {
            throw new IllegalArgumentException("segment number must be >= 1, got " + segmentNumber);
        }
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(phrase, "phrase");
        if (confidence != null && !(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence must be in 0..1, got " + confidence);
        }
        if (!text.contains(phrase)) {
            throw new IllegalArgumentException("phrase '" + phrase + "' is not part of the sentence '" + text + "'");
        }
    }
}
