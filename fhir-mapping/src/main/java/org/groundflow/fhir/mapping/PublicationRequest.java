package org.groundflow.fhir.mapping;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.groundflow.dicomweb.StudyContext;
import org.groundflow.dicomweb.Uid;
import org.groundflow.review.SignOff;
import org.groundflow.review.SignedFinding;

/**
 * Everything one FHIR publication of a read needs, checked before any mapping or I/O.
 * Holds patient data (in {@code study}): never log it; log {@link #readId()} instead.
 *
 * @param revision           the state of the report to publish: the AI draft, the signed read, an amendment or a
 *                           retraction (see {@link ReportRevision})
 * @param study              patient and study attributes of the series read (PatientID required)
 * @param seriesInstanceUid  the series the model read; must be the interpretation's series
 * @param segSopInstanceUid  the published DICOM-SEG instance whose segments ground the reported findings;
 *                           required when a finding is reported, null when none is (no SEG is published then, and a
 *                           draft has none)
 * @param dicomWebBaseUrl    DICOMweb base URL (http or https) where the study can be retrieved, for the ImagingStudy's Endpoint
 * @param organisationName   the organisation that performs the report (DiagnosticReport.performer)
 */
public record PublicationRequest(ReportRevision revision, StudyContext study, Uid seriesInstanceUid,
                                 Uid segSopInstanceUid, String dicomWebBaseUrl, String organisationName) {

    public PublicationRequest {
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(study, "study");
        Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        Objects.requireNonNull(dicomWebBaseUrl, "dicomWebBaseUrl");
        Objects.requireNonNull(organisationName, "organisationName");
        String readId = revision.readId();
        if (study.patientId() == null || study.patientId().isBlank()) {
            throw new IllegalArgumentException("study.patientId must not be blank (read " + readId + ")");
        }
        if (organisationName.isBlank()) {
            throw new IllegalArgumentException("organisationName must not be blank");
        }
        Uid interpreted = revision.interpretation().seriesInstanceUid();
        if (!interpreted.equals(seriesInstanceUid)) {
            throw new IllegalArgumentException("seriesInstanceUid must be the interpreted series " + interpreted
                    + ", got " + seriesInstanceUid);
        }
        requireSegMatchesReported(readId, reported(revision), segSopInstanceUid);
        requireKnownCodingSchemes(readId, reported(revision));
        requireKnownCodingSchemes(readId, withdrawn(revision));
        dicomWebBaseUrl = httpUrl(dicomWebBaseUrl);
    }

    /** The signed read, published {@link ReportStatus#FINAL}. */
    public PublicationRequest(SignOff signOff, StudyContext study, Uid seriesInstanceUid, Uid segSopInstanceUid,
                              String dicomWebBaseUrl, String organisationName) {
        this(ReportRevision.signed(Objects.requireNonNull(signOff, "signOff")), study, seriesInstanceUid,
                segSopInstanceUid, dicomWebBaseUrl, organisationName);
    }

    /** The same publication with another revision of the report, e.g. an amendment or the retraction. */
    public PublicationRequest withRevision(ReportRevision newRevision) {
        return new PublicationRequest(newRevision, study, seriesInstanceUid, segSopInstanceUid, dicomWebBaseUrl,
                organisationName);
    }

    /** The same publication grounded in another DICOM-SEG instance (null when no finding is reported). */
    public PublicationRequest withSegSopInstanceUid(Uid newSegSopInstanceUid) {
        return new PublicationRequest(revision, study, seriesInstanceUid, newSegSopInstanceUid, dicomWebBaseUrl,
                organisationName);
    }

    /** The read's stable id: safe to log. */
    public String readId() {
        return revision.readId();
    }

    /** The status the report is published with. */
    public ReportStatus status() {
        return revision.status();
    }

    /** The sign-off the report shows; empty for a draft. */
    public Optional<SignOff> signOff() {
        return Optional.ofNullable(signOffOf(revision));
    }

    /** The study the read belongs to. */
    public Uid studyInstanceUid() {
        return revision.interpretation().studyInstanceUid();
    }

    /** The findings the report states (each one an Observation): the kept ones; none in a draft. */
    List<SignedFinding> reported() {
        return reported(revision);
    }

    /** Findings published before and no longer kept (an amendment's): their Observations become entered-in-error. */
    List<SignedFinding> withdrawn() {
        return withdrawn(revision);
    }

    /** The report's conclusion: the signed impression, or the AI's for a draft. */
    String conclusion() {
        SignOff signOff = signOffOf(revision);
        return signOff == null ? revision.interpretation().impression() : signOff.impression();
    }

    private static SignOff signOffOf(ReportRevision revision) {
        if (revision instanceof ReportRevision.Signed signed) {
            return signed.signOff();
        }
        if (revision instanceof ReportRevision.Amended amended) {
            return amended.signOff();
        }
        if (revision instanceof ReportRevision.Retracted retracted) {
            return retracted.signOff();
        }
        return null; // a draft

    }

    private static List<SignedFinding> reported(ReportRevision revision) {
        SignOff signOff = signOffOf(revision);
        return signOff == null ? List.of() : signOff.kept();
    }

    private static List<SignedFinding> withdrawn(ReportRevision revision) {
        return revision instanceof ReportRevision.Amended amended ? amended.withdrawn() : List.of();
    }

    private static void requireSegMatchesReported(String readId, List<SignedFinding> reported, Uid segSopInstanceUid) {
        boolean any = !reported.isEmpty();
        if (any && segSopInstanceUid == null) {
            throw new IllegalArgumentException("segSopInstanceUid is required when findings are kept (read "
                    + readId + " keeps " + reported.size() + ")");
        }
        if (!any && segSopInstanceUid != null) {
            throw new IllegalArgumentException("segSopInstanceUid must be null when no finding is kept (read "
                    + readId + "), got " + segSopInstanceUid);
        }
    }

    private static void requireKnownCodingSchemes(String readId, List<SignedFinding> findings) {
        for (SignedFinding kept : findings) {
            requireKnownCodingScheme(readId, kept, "coded", kept.finding().code().scheme());
            if (kept.finding().site() != null) {
                requireKnownCodingScheme(readId, kept, "sited", kept.finding().site().scheme());
            }
        }
    }

    private static void requireKnownCodingScheme(String readId, SignedFinding kept, String what, String scheme) {
        if (Codes.fhirSystem(scheme).isEmpty()) {
            throw new IllegalArgumentException("finding " + kept.finding().number() + " of read " + readId
                    + " must be " + what + " in SCT, LN or DCM, got coding scheme '" + scheme + "'");
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
