package org.groundflow.fhir.mapping;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.stream.Stream;
import org.groundflow.dicomweb.StudyContext;
import org.groundflow.inference.ModelIdentity;
import org.groundflow.inference.Finding;
import org.groundflow.review.SignedFinding;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;

/** The resources of one read's bundle other than the Observations, each built from the request alone. */
final class ReportResources {

    private final PatientIdentifier patientIdentifier;
    private final EhrReferences ehr;
    private final PublicationRequest request;
    private final ReportMapper.Context context;

    ReportResources(PatientIdentifier patientIdentifier, EhrReferences ehr, PublicationRequest request,
                    ReportMapper.Context context) {
        this.patientIdentifier = patientIdentifier;
        this.ehr = ehr;
        this.request = request;
        this.context = context;
    }

    String patientIfNoneExist() {
        return SearchUrls.identifierQuery(patientIdentifier.system(), patientIdentifier.value());
    }

    /** The value of the model's Device identifier: "urn:oid:" + model UID. */
    String modelUidValue() {
        return "urn:oid:" + request.revision().interpretation().model().uid();
    }

    /** The value of the ImagingStudy's identifier: "urn:oid:" + Study Instance UID. */
    String studyUidValue() {
        return "urn:oid:" + request.studyInstanceUid();
    }

    /** The patient as DICOM names them; created only if no patient with this identifier exists. */
    Patient patient() {
        StudyContext study = request.study();
        Patient patient = new Patient();
        patient.addIdentifier(new Identifier().setSystem(patientIdentifier.system()).setValue(patientIdentifier.value()));
        DicomValues.personName(study.patientName()).ifPresent(name -> {
            HumanName human = patient.addName().setUse(HumanName.NameUse.OFFICIAL);
            if (!name.family().isEmpty()) {
                human.setFamily(name.family());
            }
            name.given().forEach(human::addGiven);
            if (!name.prefix().isEmpty()) {
                human.addPrefix(name.prefix());
            }
            if (!name.suffix().isEmpty()) {
                human.addSuffix(name.suffix());
            }
        });
        if (!patient.hasName()) {
            // US Core requires a name: say why there is none
            patient.addName().addExtension(Codes.DATA_ABSENT_REASON, new CodeType("unknown"));
        }
        patient.setGender(DicomValues.gender(study.patientSex()).map(AdministrativeGender::fromCode)
                .orElse(AdministrativeGender.UNKNOWN));
        DicomValues.date(study.patientBirthDate()).ifPresent(d -> patient.setBirthDateElement(
                new DateType(d.toString())));
        return patient;
    }

    Organization organization() {
        Organization organization = new Organization().setActive(true).setName(request.organisationName().trim());
        organization.addIdentifier(new Identifier().setSystem(Codes.GROUNDFLOW_ORGANIZATION)
                .setValue(request.organisationName().trim()));
        return organization;
    }

    /** A user named in the revision (the signing radiologist, whoever retracted), identified by user name. */
    Practitioner practitioner(String user) {
        Practitioner practitioner = new Practitioner();
        practitioner.addIdentifier(new Identifier().setSystem(Codes.GROUNDFLOW_USER).setValue(user));
        practitioner.setActive(true);
        return practitioner;
    }

    /** The model that drafted the findings. */
    Device device() {
        ModelIdentity model = request.revision().interpretation().model();
        Device device = new Device();
        device.addIdentifier(new Identifier().setSystem(Codes.DICOM_UID).setValue(modelUidValue()));
        device.setStatus(Device.FHIRDeviceStatus.ACTIVE);
        device.setManufacturer(model.manufacturer());
        device.addDeviceName().setName(model.name()).setType(Device.DeviceNameType.MODELNAME);
        device.addVersion().setValue(model.version());
        device.setType(new CodeableConcept().setText("AI model"));
        return device;
    }

    /** Where the study can be retrieved: the DICOMweb (WADO-RS) base URL. */
    Endpoint endpoint() {
        Endpoint endpoint = new Endpoint();
        endpoint.addIdentifier(new Identifier().setSystem(Codes.URI).setValue(request.dicomWebBaseUrl()));
        endpoint.setStatus(Endpoint.EndpointStatus.ACTIVE);
        endpoint.setConnectionType(new Coding(Codes.ENDPOINT_CONNECTION_TYPE, Codes.WADO_RS, "DICOM WADO-RS"));
        endpoint.setName("DICOMweb");
        endpoint.setManagingOrganization(new Reference(context.organization()));
        endpoint.addPayloadType(new CodeableConcept().setText("DICOM"));
        endpoint.addPayloadMimeType("application/dicom");
        endpoint.setAddress(request.dicomWebBaseUrl());
        return endpoint;
    }

    /** The study read, with the series the model read; created only if no ImagingStudy with its UID exists. */
    ImagingStudy imagingStudy() {
        ImagingStudy study = new ImagingStudy();
        study.addIdentifier(new Identifier().setSystem(Codes.DICOM_UID).setValue(studyUidValue()));
        accession().ifPresent(accession -> {
            study.addIdentifier(accessionIdentifier(accession));
            study.addBasedOn(order(accession));
        });
        study.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
        study.setSubject(new Reference(context.patient()));
        DicomValues.date(request.study().studyDate()).ifPresent(d -> study.setStartedElement(new DateTimeType(d.toString())));
        study.addEndpoint(new Reference(context.endpoint()));
        study.setNumberOfSeries(1);
        study.addSeries()
                .setUid(request.seriesInstanceUid().value())
                .setModality(new Coding(Codes.DICOM_DCM, Codes.MODALITY_CT, "Computed Tomography"));
        return study;
    }

    /** The report; its results are added by the mapper, one per Observation. */
    DiagnosticReport report() {
        DiagnosticReport report = new DiagnosticReport();
        report.getText().setStatus(Narrative.NarrativeStatus.GENERATED).setDivAsString(ReportHtml.narrative(request));
        report.addIdentifier(new Identifier().setSystem(Codes.GROUNDFLOW_READ).setValue(request.readId()));
        accession().ifPresent(accession -> report.addBasedOn(order(accession).setDisplay("Accession " + accession)));
        report.setStatus(DiagnosticReport.DiagnosticReportStatus.fromCode(request.status().fhirCode()));
        report.addCategory(new CodeableConcept()
                .addCoding(new Coding(Codes.LOINC, Codes.RADIOLOGY_LOINC, "Radiology"))
                .addCoding(new Coding(Codes.V2_0074, Codes.RADIOLOGY, "Radiology")));
        report.setCode(new CodeableConcept(new Coding(Codes.LOINC, Codes.REPORT_CODE, Codes.REPORT_DISPLAY))
                .setText(Codes.REPORT_DISPLAY));
        report.setSubject(new Reference(context.patient()));
        report.setEffective(context.effective().copy());
        report.setIssuedElement(context.issued().copy());
        report.addPerformer(new Reference(context.organization()).setDisplay(request.organisationName().trim()));
        if (context.signer() != null) {
            // the radiologist who signed, never the model (the model is the Provenance's assembler)
            report.addResultsInterpreter(new Reference(context.signerPractitioner()).setDisplay(context.signer()));
        }
        report.addImagingStudy(new Reference(context.imagingStudy()));
        report.setConclusion(request.conclusion());
        conclusionCodes().forEach(report::addConclusionCode);
        byte[] html = ReportHtml.render(request).getBytes(StandardCharsets.UTF_8);
        report.addPresentedForm(new Attachment()
                .setContentType("text/html;charset=utf-8")
                .setLanguage("en")
                .setData(html)
                .setSize(html.length)
                .setHash(sha1(html))
                .setTitle(ReportHtml.title(request))
                .setCreationElement(new DateTimeType(context.issued().getValue(),
                        TemporalPrecisionEnum.SECOND, TimeZone.getTimeZone("UTC"))));
        return report;
    }

    /** The SNOMED CT concepts of the reported findings (the draft's for a preliminary report), each once. */
    private List<CodeableConcept> conclusionCodes() {
        Stream<Finding> findings = request.revision() instanceof ReportRevision.Draft
                ? request.revision().interpretation().findings().stream()
                : request.reported().stream().map(SignedFinding::finding);
        Map<String, CodeableConcept> codes = new LinkedHashMap<>();
        findings.map(Finding::code)
                .filter(code -> Codes.fhirSystem(code.scheme()).filter(Codes.SNOMED::equals).isPresent())
                .forEach(code -> codes.putIfAbsent(code.value(), FindingObservations.concept(code)));
        return List.copyOf(codes.values());
    }

    private Optional<String> accession() {
        String accession = request.study().accessionNumber();
        return accession == null || accession.isBlank() ? Optional.empty() : Optional.of(accession.trim());
    }

    /** The order: the EHR's ServiceRequest when one was found for the accession number, else named by it alone. */
    private Reference order(String accession) {
        Reference order = new Reference().setType("ServiceRequest").setIdentifier(accessionIdentifier(accession));
        if (ehr.serviceRequestId() != null) {
            order.setReference("ServiceRequest/" + ehr.serviceRequestId());
        }
        return order;
    }

    private static Identifier accessionIdentifier(String accession) {
        return new Identifier()
                .setType(new CodeableConcept(new Coding(Codes.V2_0203, Codes.ACCESSION, "Accession ID")))
                .setValue(accession);
    }

    private static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data); // Attachment.hash is SHA-1 by definition
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-1", e);
        }
    }
}
