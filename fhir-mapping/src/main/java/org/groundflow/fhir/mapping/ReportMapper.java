package org.groundflow.fhir.mapping;

import org.groundflow.dicomweb.transport.AtomicFiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TimeZone;
import java.util.UUID;
import org.groundflow.review.SignOff;
import org.groundflow.review.SignedFinding;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps a read to one FHIR R4 transaction Bundle: Patient, Organization, Practitioner (the signing radiologist),
 * Device (the model), Endpoint and ImagingStudy, one Observation per reported finding (and per finding an amendment
 * withdraws), the DiagnosticReport and a Provenance of this revision.
 *
 * <p>The bundle is the same, byte for byte, every time the same request is mapped: entries carry fixed
 * {@code urn:uuid:} full URLs derived from the read id, and every entry is conditional (create if none exists
 * for shared records: Patient, Organization, Practitioner, Device, Endpoint, ImagingStudy; update by business
 * identifier for the records this read owns; the Provenance, which has no identifier, is put at an id fixed by the read and revision), so sending
 * the bundle again changes nothing on the server, and a new revision updates the same report to a new version.
 * (A signature does not change this: RS256 signatures of the same content are the same.)
 *
 * <p>When the EHR already holds the patient or the order ({@link EhrReferences}, looked up by the publisher), the
 * bundle references them by id: no Patient entry, and the report and study are based on the found ServiceRequest.
 */
public final class ReportMapper {

    /** A placeholder identifier system for DICOM Patient IDs; deployments should configure their MRN system. */
    public static final String DEFAULT_PATIENT_ID_SYSTEM = "urn:groundflow:dicom-patient-id";

    /** The identifier system of a read's DiagnosticReport; the value is the read id. */
    public static final String READ_IDENTIFIER_SYSTEM = Codes.GROUNDFLOW_READ;

    private static final Logger LOG = LoggerFactory.getLogger(ReportMapper.class);

    private final PatientIdentifierSystems patientSystems;
    private final SigningKey signingKey;
    private final FhirContext fhir;

    /**
     * @param patientIdentifierSystem the identifier system of DICOM Patient IDs at this site (an absolute URI,
     *                                e.g. the EHR's MRN system), whatever the study's Issuer of Patient ID
     */
    public ReportMapper(String patientIdentifierSystem) {
        this(PatientIdentifierSystems.of(PatientIdentifierSystems.absoluteUri("patientIdentifierSystem",
                patientIdentifierSystem)));
    }

    /** A mapper that names patients with the system of their study's Issuer of Patient ID and signs nothing. */
    public ReportMapper(PatientIdentifierSystems patientSystems) {
        this(patientSystems, null);
    }

    private ReportMapper(PatientIdentifierSystems patientSystems, SigningKey signingKey) {
        this.patientSystems = Objects.requireNonNull(patientSystems, "patientSystems");
        this.signingKey = signingKey;
        this.fhir = FhirContext.forR4Cached();
    }

    /**
     * The same mapper signing every signed revision: its Provenance carries a JWS over the DiagnosticReport (see
     * {@link ReportSignature}). Without a key, the Provenance has no signature element.
     */
    public ReportMapper withSigningKey(SigningKey key) {
        return new ReportMapper(patientSystems, Objects.requireNonNull(key, "key"));
    }

    /** The identifier of the read's patient: the system of the study's Issuer of Patient ID and the Patient ID. */
    public PatientIdentifier patientIdentifier(PublicationRequest request) {
        return new PatientIdentifier(patientSystems.systemFor(request.study().issuerOfPatientId()),
                request.study().patientId().trim());
    }

    /** The transaction Bundle for a request, creating the patient if the server has none with its identifier. */
    public Bundle toBundle(PublicationRequest request) {
        return toBundle(request, EhrReferences.none());
    }

    /**
     * The transaction Bundle for a request that refers to records the EHR holds: the found patient instead of a
     * Patient entry, the found order as the report's basis.
     */
    public Bundle toBundle(PublicationRequest request, EhrReferences ehr) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(ehr, "ehr");
        if (patientSystems.unlisted(request.study().issuerOfPatientId())) {
            LOG.warn("Study {} (read {}) names an Issuer of Patient ID without a configured identifier system; its "
                    + "patient is identified in {}", request.studyInstanceUid(), request.readId(),
                    patientSystems.defaultSystem());
        }
        Context context = context(request, ehr);
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        ReportResources resources = new ReportResources(patientIdentifier(request), ehr, request, context);
        if (ehr.patientId() == null) {
            add(bundle, context.patient(), resources.patient(),
                    HTTPVerb.POST, "Patient", resources.patientIfNoneExist());
        }
        add(bundle, context.organization(), resources.organization(),
                HTTPVerb.POST, "Organization",
                SearchUrls.identifierQuery(Codes.GROUNDFLOW_ORGANIZATION, request.organisationName().trim()));
        // Shared by every read of a radiologist, a model, a PACS: created once, never written again (their content is
        // their identifier), so that publications at the same moment do not update one resource concurrently (409).
        for (String user : context.practitioners().keySet()) {
            add(bundle, context.practitioners().get(user), resources.practitioner(user), HTTPVerb.POST,
                    "Practitioner", SearchUrls.identifierQuery(Codes.GROUNDFLOW_USER, user));
        }
        add(bundle, context.device(), resources.device(), HTTPVerb.POST,
                "Device", SearchUrls.identifierQuery(Codes.DICOM_UID, resources.modelUidValue()));
        add(bundle, context.endpoint(), resources.endpoint(), HTTPVerb.POST,
                "Endpoint", SearchUrls.identifierQuery(Codes.URI, request.dicomWebBaseUrl()));
        add(bundle, context.imagingStudy(), resources.imagingStudy(), HTTPVerb.POST, "ImagingStudy",
                SearchUrls.identifierQuery(Codes.DICOM_UID, resources.studyUidValue()));
        DiagnosticReport report = resources.report();
        List<String> observations = new ArrayList<>();
        for (SignedFinding kept : request.reported()) {
            String fullUrl = addObservation(bundle, request, FindingObservations.reported(kept, request, context));
            report.addResult(new Reference(fullUrl));
            observations.add(fullUrl);
        }
        for (SignedFinding withdrawn : request.withdrawn()) {
            observations.add(addObservation(bundle, request, FindingObservations.withdrawn(withdrawn, request, context)));
        }
        add(bundle, context.report(), report, HTTPVerb.PUT,
                SearchUrls.byIdentifier("DiagnosticReport", Codes.GROUNDFLOW_READ, request.readId()), null);
        String jws = signingKey == null || context.signer() == null ? null : ReportSignature.sign(report, signingKey);
        Provenance provenance = ReportProvenance.of(request, context, observations, jws);
        // Provenance has no identifier to be conditional on: a fixed id per revision makes it idempotent instead.
        add(bundle, fullUrl(request.readId(), provenance.getIdElement().getIdPart()), provenance, HTTPVerb.PUT,
                "Provenance/" + provenance.getIdElement().getIdPart(), null);
        LOG.debug("Mapped read {} ({}) to a transaction of {} entries ({} findings reported, {} withdrawn)",
                request.readId(), request.status().fhirCode(), bundle.getEntry().size(), request.reported().size(),
                request.withdrawn().size());
        return bundle;
    }

    private static String addObservation(Bundle bundle, PublicationRequest request, Observation observation) {
        String value = observation.getIdentifierFirstRep().getValue();
        String fullUrl = fullUrl(request.readId(), "Observation/" + value);
        add(bundle, fullUrl, observation, HTTPVerb.PUT,
                SearchUrls.byIdentifier("Observation", Codes.GROUNDFLOW_FINDING, value), null);
        return fullUrl;
    }

    /** The transaction Bundle as pretty-printed FHIR JSON. */
    public String toJson(PublicationRequest request) {
        return fhir.newJsonParser().setPrettyPrint(true).encodeResourceToString(toBundle(request));
    }

    /**
     * Writes the transaction Bundle as JSON into {@code dir} (created if missing), for deployments without a FHIR
     * server. The file is named after the read and replaced atomically, so writing the same read again leaves one file.
     *
     * @return the file written
     */
    public Path writeBundle(PublicationRequest request, Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        String json = toJson(request);
        Path target = AtomicFiles.write(dir.resolve(fileName(request.readId())), json.getBytes(StandardCharsets.UTF_8));
        LOG.info("Wrote the FHIR bundle of read {} to {}", request.readId(), target);
        return target;
    }

    /** The file {@link #writeBundle} writes for a read: the read id with unsafe characters replaced. */
    public static String fileName(String readId) {
        String safe = readId.replaceAll("[^A-Za-z0-9._-]", "_");
        if (!safe.equals(readId) || safe.startsWith(".")) {
            safe = safe + "-" + UUID.nameUUIDFromBytes(readId.getBytes(StandardCharsets.UTF_8)).toString().substring(0, 8);
        }
        return "groundflow-read-" + safe + ".json";
    }

    /** The fixed full URL of one entry of a read's bundle: a name-based UUID of the read id and the entry's role. */
    static String fullUrl(String readId, String role) {
        byte[] name = ("groundflow:" + readId + ":" + role).getBytes(StandardCharsets.UTF_8);
        return "urn:uuid:" + UUID.nameUUIDFromBytes(name);
    }

    private static Context context(PublicationRequest request, EhrReferences ehr) {
        String readId = request.readId();
        Instant recorded = request.revision().recordedAt();
        InstantType issued = new InstantType(Date.from(recorded));
        issued.setTimeZoneZulu(true);
        DateTimeType effective = DicomValues.date(request.study().studyDate())
                .map(date -> new DateTimeType(date.toString()))
                .orElseGet(() -> {
                    if (request.study().studyDate() != null && !request.study().studyDate().isBlank()) {
                        LOG.warn("Study date of read {} is not a DICOM date; the report's effective time is the time "
                                + "of the revision", readId);
                    }
                    return new DateTimeType(Date.from(recorded), TemporalPrecisionEnum.SECOND,
                            TimeZone.getTimeZone("UTC"));
                });
        Map<String, String> practitioners = new LinkedHashMap<>();
        String signer = request.signOff().map(SignOff::reviewer).orElse(null);
        if (signer != null) {
            practitioners.put(signer, fullUrl(readId, "Practitioner/" + signer));
        }
        if (request.revision() instanceof ReportRevision.Retracted retracted) {
            practitioners.putIfAbsent(retracted.retractedBy(), fullUrl(readId, "Practitioner/" + retracted.retractedBy()));
        }
        return new Context(
                ehr.patientId() == null ? fullUrl(readId, "Patient") : "Patient/" + ehr.patientId(),
                fullUrl(readId, "Organization"),
                Collections.unmodifiableMap(practitioners),
                signer,
                fullUrl(readId, "Device"),
                fullUrl(readId, "Endpoint"),
                fullUrl(readId, "ImagingStudy"),
                fullUrl(readId, "DiagnosticReport"),
                effective,
                issued);
    }

    private static void add(Bundle bundle, String fullUrl, Resource resource, HTTPVerb verb, String url,
                            String ifNoneExist) {
        Bundle.BundleEntryRequestComponent request = new Bundle.BundleEntryRequestComponent().setMethod(verb).setUrl(url);
        if (ifNoneExist != null) {
            request.setIfNoneExist(ifNoneExist);
        }
        Bundle.BundleEntryComponent entry = bundle.addEntry().setResource(resource).setRequest(request);
        if (fullUrl != null) {
            entry.setFullUrl(fullUrl);
        }
    }

    /**
     * The full URLs of a read's entries and the times every resource repeats.
     *
     * @param practitioners the full URL of each user named in the revision (the signer, whoever retracted), by user name
     * @param signer        the signing radiologist's user name; null for a draft
     * @param effective     the study date when known, else the time of the revision
     * @param issued        the time of the revision (drafted, signed, amended, retracted)
     */
    record Context(String patient, String organization, Map<String, String> practitioners, String signer,
                   String device, String endpoint, String imagingStudy, String report, DateTimeType effective,
                   InstantType issued) {

        /** The signing radiologist's full URL, or null for a draft. */
        String signerPractitioner() {
            return signer == null ? null : practitioners.get(signer);
        }
    }
}
