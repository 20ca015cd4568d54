package org.groundflow.fhir;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import org.groundflow.dicomweb.StudyContext;
import org.groundflow.dicomweb.Uid;
import org.groundflow.inference.SignOff;
import org.groundflow.inference.SignedFinding;

/**
 * Everything one FHIR publication of a signed read needs, checked before any mapping or I/O.
 * Holds patient data (in {@code study}): never log it; log {@link #readId()} instead.
 *
 * @param signOff            the read as the radiologist signed it
 * @param study              patient and study attributes of the series read (PatientID required)
 * @param seriesInstanceUid  the series the model read; must be the interpretation's series
 * @param segSopInstanceUid  the published DICOM-SEG instance whose segments ground the kept findings;
 *                           required when a finding was kept, null when none was (no SEG is published then)
 * @param dicomWebBaseUrl    DICOMweb base URL (http or https) where the study can be retrieved, for the ImagingStudy's Endpoint
 * @param organisationName   the organisation that performs the report (DiagnosticReport.performer)
 */
public record PublicationRequest(SignOff signOff, StudyContext study, Uid seriesInstanceUid, Uid segSopInstanceUid,
                                 String dicomWebBaseUrl, String organisationName) {

    public PublicationRequest {
        Objects.requireNonNull(signOff, "signOff");
        Objects.requireNonNull(study, "study");
        Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        Objects.requireNonNull(dicomWebBaseUrl, "dicomWebBaseUrl");
        Objects.requireNonNull(organisationName, "organisationName");
        if (signOff.readId().isBlank()) {
            throw new IllegalArgumentException("signOff.readId must not be blank");
        }
        if (study.patientId() == null || study.patientId().isBlank()) {
            throw new IllegalArgumentException("study.patientId must not be blank (read " + signOff.readId() + ")");
        }
        if (organisationName.isBlank()) {
            throw new IllegalArgumentException("organisationName must not be blank");
        }
        Uid interpreted = signOff.interpretation().seriesInstanceUid();
        if (!interpreted.equals(seriesInstanceUid)) {
            throw new IllegalArgumentException("seriesInstanceUid must be the interpreted series " + interpreted
                    + ", got " + seriesInstanceUid);
        }
        requireSegMatchesKept(signOff, segSopInstanceUid);
        requireKnownCodingSchemes(signOff);
        dicomWebBaseUrl = httpUrl(dicomWebBaseUrl);
    }

    /** The read's stable id: safe to log. */
    public String readId() {
        return signOff.readId();
    }

    /** The study the read belongs to. */
    public Uid studyInstanceUid() {
        return signOff.interpretation().studyInstanceUid();
    }

    private static void requireSegMatchesKept(SignOff signOff, Uid segSopInstanceUid) {
        boolean kept = !signOff.kept().isEmpty();
        if (kept && segSopInstanceUid == null) {
            throw new IllegalArgumentException("segSopInstanceUid is required when findings are kept (read "
                    + signOff.readId() + " keeps " + signOff.kept().size() + ")");
        }
        if (!kept && segSopInstanceUid != null) {
            throw new IllegalArgumentException("segSopInstanceUid must be null when no finding is kept (read "
                    + signOff.readId() + "), got " + segSopInstanceUid);
        }
    }

    private static void requireKnownCodingSchemes(SignOff signOff) {
        for (SignedFinding kept : signOff.kept()) {
            String scheme = kept.finding().code().scheme();
            if (Codes.fhirSystem(scheme).isEmpty()) {
                throw new IllegalArgumentException("finding " + kept.finding().number() + " of read " + signOff.readId()
                        + " must be coded in SCT, LN or DCM, got coding scheme '" + scheme + "'");
            }
        }
    }

    private static String httpUrl(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("dicomWebBaseUrl must be a URL, got '" + url + "': " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("dicomWebBaseUrl must be an absolute http(s) URL with a host, got '" + url + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("dicomWebBaseUrl must have no query, fragment or user info, got '" + url + "'");
        }
        String normalised = uri.toString();
        return normalised.endsWith("/") ? normalised.substring(0, normalised.length() - 1) : normalised;
    }
}
