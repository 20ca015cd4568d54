package org.groundflow.fhir.mapping;

import java.util.regex.Pattern;

/**
 * Records the EHR already holds that a read's bundle refers to by id, instead of creating them or naming them by
 * identifier: the patient (found by identifier when the patient must exist) and the order (the ServiceRequest found
 * by the study's accession number). Each is a FHIR logical id, or null when not looked up or not found.
 *
 * @param patientId        the EHR's Patient: the bundle then references {@code Patient/<id>} and holds no Patient
 * @param serviceRequestId the EHR's ServiceRequest for the accession number: the report is based on it
 */
public record EhrReferences(String patientId, String serviceRequestId) {

    /** FHIR R4 id: 1 to 64 letters, digits, '-' and '.'. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    public EhrReferences {
        requireId("patientId", patientId);
        requireId("serviceRequestId", serviceRequestId);
    }

    /** Nothing found in the EHR: the bundle creates the patient if absent and names the order by accession number. */
    public static EhrReferences none() {
        return new EhrReferences(null, null);
    }

    public EhrReferences withPatientId(String id) {
        return new EhrReferences(id, serviceRequestId);
    }

    public EhrReferences withServiceRequestId(String id) {
        return new EhrReferences(patientId, id);
    }

    private static void requireId(String name, String id) {
        if (id != null && !ID.matcher(id).matches()) {
            throw new IllegalArgumentException(name + " must be a FHIR id (1-64 of A-Z a-z 0-9 - .), got '" + id + "'");
        }
    }
}
