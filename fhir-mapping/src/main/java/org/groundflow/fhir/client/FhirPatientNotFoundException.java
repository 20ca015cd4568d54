package org.groundflow.fhir.client;

import org.groundflow.dicomweb.Uid;

/**
 * The patient must exist in the EHR ({@link PatientPolicy#MUST_EXIST}) and the EHR holds no patient, or more than
 * one, with the identifier of the study's patient: nothing was sent. Not retryable: the patient has to be registered
 * (or merged) in the EHR, or the study's Patient ID or the identifier system corrected, before the step is retried.
 * The message names the study and the identifier system, never the patient's name or identifier value.
 */
public final class FhirPatientNotFoundException extends FhirPublicationException {

    private final Uid studyInstanceUid;
    private final String identifierSystem;
    private final int found;

    FhirPatientNotFoundException(Uid studyInstanceUid, String identifierSystem, int found) {
        super("study " + studyInstanceUid + ": " + (found == 0 ? "no patient" : "more than one patient")
                + " with this identifier in the EHR (identifier system " + identifierSystem + ")", 200, "", null);
        this.studyInstanceUid = studyInstanceUid;
        this.identifierSystem = identifierSystem;
        this.found = found;
    }

    public Uid studyInstanceUid() {
        return studyInstanceUid;
    }

    public String identifierSystem() {
        return identifierSystem;
    }

    /** How many patients the search found: 0, or 2 for two or more. */
    public int found() {
        return found;
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
