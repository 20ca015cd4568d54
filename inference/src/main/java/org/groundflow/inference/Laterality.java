package org.groundflow.inference;

import java.util.Optional;
import org.groundflow.dicomweb.CodedConcept;

/** The side of the patient a finding lies on, coded as DICOM CID 244 "Laterality" codes it (SNOMED CT). */
public enum Laterality {

    /** SCT 24028007 "Right": the patient's right. */
    RIGHT(CodedConcept.sct("24028007", "Right")),
    /** SCT 7771000 "Left": the patient's left. */
    LEFT(CodedConcept.sct("7771000", "Left")),
    /** SCT 51440002 "Right and left": on both sides. */
    BILATERAL(CodedConcept.sct("51440002", "Right and left")),
    /** On neither side: the finding lies at the midline. No code. */
    NONE(null);

    /** Centroids closer than this to the midline (mm) lie on neither side. */
    static final double MIDLINE_MM = 10.0;

    private final CodedConcept code;

    Laterality(CodedConcept code) {
        this.code = code;
    }

    /** The CID 244 code; empty for {@link #NONE}. */
    public Optional<CodedConcept> code() {
        return Optional.ofNullable(code);
    }

    /** The side of a point in patient space (LPS: x < 0 is the patient's right) for a midline at x = 0. */
    static Laterality of(double[] patientPosition) {
        return of(patientPosition, 0);
    }

    /** The side of a point relative to the patient's midline at patient x = {@code midlineX} (mm). */
    static Laterality of(double[] patientPosition, double midlineX) {
        double x = patientPosition[0] - midlineX;
        if (Math.abs(x) <= MIDLINE_MM) {
            return NONE;
        }
        return x < 0 ? RIGHT : LEFT;
    }
}
