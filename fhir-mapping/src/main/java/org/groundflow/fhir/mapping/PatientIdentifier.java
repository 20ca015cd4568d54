package org.groundflow.fhir.mapping;

/**
 * The identifier a read's Patient carries (and is searched by): the site's system for the study's Issuer of
 * Patient ID and the DICOM Patient ID. The value is patient data: never log it.
 *
 * @param system the identifier system (see {@link PatientIdentifierSystems})
 * @param value  the Patient ID, trimmed
 */
public record PatientIdentifier(String system, String value) {

    /** Never shows the value. */
    @Override
    public String toString() {
        return "PatientIdentifier[system=" + system + "]";
    }
}
