package org.groundflow.fhir.client;

import java.net.URI;
import java.util.Objects;

/**
 * What the publisher looks up in the EHR before it builds a read's bundle (one search each, no retries of its own):
 * the read's patient, when the patient must exist, and the order (ServiceRequest) by the study's accession number,
 * when accession numbers have a known identifier system. {@link #none()} looks up nothing.
 *
 * @param patientPolicy   whether the EHR must already hold the read's patient
 * @param accessionSystem the identifier system of accession numbers on the EHR's ServiceRequests (an absolute URI);
 *                        null: the order is not looked up and the report names it by accession number only
 */
public record EhrLookup(PatientPolicy patientPolicy, String accessionSystem) {

    public EhrLookup {
        Objects.requireNonNull(patientPolicy, "patientPolicy");
        if (accessionSystem != null) {
            accessionSystem = accessionSystem.trim();
            boolean absolute;
            try {
                absolute = URI.create(accessionSystem).isAbsolute();
            } catch (IllegalArgumentException e) {
                absolute = false;
            }
            if (!absolute) {
                throw new IllegalArgumentException("accessionSystem must be an absolute URI (or null for none), got '"
                        + accessionSystem + "'");
            }
        }
    }

    /** Looks up nothing: the bundle creates the patient if absent and names the order by accession number. */
    public static EhrLookup none() {
        return new EhrLookup(PatientPolicy.CREATE_IF_ABSENT, null);
    }

    public EhrLookup withPatientPolicy(PatientPolicy policy) {
        return new EhrLookup(policy, accessionSystem);
    }

    /** Looks up the order by accession number in this identifier system; null or blank for no lookup. */
    public EhrLookup withAccessionSystem(String system) {
        return new EhrLookup(patientPolicy, system == null || system.isBlank() ? null : system);
    }

    boolean anything() {
        return patientPolicy == PatientPolicy.MUST_EXIST || accessionSystem != null;
    }
}
