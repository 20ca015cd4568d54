package org.groundflow.fhir.client;

/** Whether the EHR must already hold a read's patient, or the publication may create it. */
public enum PatientPolicy {
    /** The bundle creates the Patient unless one with its identifier exists (conditional create). */
    CREATE_IF_ABSENT,
    /**
     * The publisher searches the EHR for the Patient by identifier first and the bundle references it; when there is
     * no such patient, or more than one, nothing is sent ({@link FhirPatientNotFoundException}).
     */
    MUST_EXIST
}
