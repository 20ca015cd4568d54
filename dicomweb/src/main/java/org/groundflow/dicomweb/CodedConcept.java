package org.groundflow.dicomweb;

import java.util.Objects;

/** A coded concept (code value, coding scheme designator, code meaning), as in a DICOM code sequence item. */
public record CodedConcept(String value, String scheme, String meaning) {

    /** SNOMED CT as DICOM designates it. */
    public static final String SCT = "SCT";

    public CodedConcept {
        Objects.requireNonNull(value, "code value");
        Objects.requireNonNull(scheme, "coding scheme designator");
        Objects.requireNonNull(meaning, "code meaning");
        if (value.isBlank() || scheme.isBlank() || meaning.isBlank()) {
            throw new IllegalArgumentException("coded concept parts must not be blank: (" + value + ", " + scheme + ", " + meaning + ")");
        }
    }

    public static CodedConcept sct(String value, String meaning) {
        return new CodedConcept(value, SCT, meaning);
    }
}
