package org.groundflow.fhir.mapping;

/**
 * Where a published report stands in its lifecycle: the FHIR DiagnosticReport status it is published with
 * (value set http://hl7.org/fhir/ValueSet/diagnostic-report-status).
 */
public enum ReportStatus {
    /** The AI draft, published before a radiologist signed it. */
    PRELIMINARY("preliminary"),
    /** Signed by the radiologist. */
    FINAL("final"),
    /** Changed after it was final and signed again. */
    AMENDED("amended"),
    /** Changed after it was final to correct an error, and signed again. */
    CORRECTED("corrected"),
    /** Retracted: it should never have been published. */
    ENTERED_IN_ERROR("entered-in-error");

    private final String fhirCode;

    ReportStatus(String fhirCode) {
        this.fhirCode = fhirCode;
    }

    /** The FHIR code, e.g. {@code entered-in-error}. */
    public String fhirCode() {
        return fhirCode;
    }
}
