package org.groundflow.fhir;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.nio.charset.StandardCharsets;
import java.util.TimeZone;
import org.groundflow.dicomweb.StudyContext;
import org.groundflow.inference.ModelIdentity;
import org.groundflow.inference.SignOff;
import org.hl7.fhir.r4.model.Attachment;
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
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;

/** The resources of one read's bundle other than the Observations, each built from the request alone. */
final class ReportResources {

    private final String patientIdentifierSystem;
    private final PublicationRequest request;
    private final ReportMapper.Context context;

    ReportResources(String patientIdentifierSystem, PublicationRequest request, ReportMapper.Context context) {
        this.patientIdentifierSystem = patientIdentifierSystem;
        this.request = request;
        this.context = context;
    }

    String patientIfNoneExist() {
        return SearchUrls.identifierQuery(patientIdentifierSystem, patientId());
    }

    /** The value of the model's Device identifier: "urn:oid:" + model UID. */
    String modelUidValue() {
        return "urn:oid:" + request.signOff().interpretation().model().uid();
    }

    /** The value of the ImagingStudy's identifier: "urn:oid:" + Study Instance UID. */
    String studyUidValue() {
        return "urn:oid:" + request.studyInstanceUid();
    }

    /** The patient as DICOM names them; created only if no patient with this identifier exists. */
    Patient patient() {
        StudyContext study = request.study();
        Patient patient = new Patient();
        patient.addIdentifier(new Identifier().setSystem(patientIdentifierSystem).setValue(patientId()));
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
        DicomValues.gender(study.patientSex()).ifPresent(g -> patient.setGender(AdministrativeGender.fromCode(g)));
        DicomValues.date(study.patientBirthDate()).ifPresent(d -> patient.setBirthDateElement(
                new DateType(d.toString())));
        return patient;
    }

    Organization organization() {
        return new Organization().setActive(true).setName(request.organisationName().trim());
    }

    /** The signing radiologist, identified by user name. */
    Practitioner practitioner() {
        Practitioner practitioner = new Practitioner();
        practitioner.addIdentifier(new Identifier().setSystem(Codes.GROUNDFLOW_USER).setValue(request.signOff().reviewer()));
        practitioner.setActive(true);
        return practitioner;
    }

    /** The model that drafted the findings. */
    Device device() {
        ModelIdentity model = request.signOff().interpretation().model();
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
        String accession = request.study().accessionNumber();
        if (accession != null && !accession.isBlank()) {
            study.addIdentifier(new Identifier()
                    .setType(new CodeableConcept(new Coding(Codes.V2_0203, Codes.ACCESSION, "Accession ID")))
                    .setValue(accession.trim()));
        }
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
        SignOff signOff = request.signOff();
        DiagnosticReport report = new DiagnosticReport();
        report.addIdentifier(new Identifier().setSystem(Codes.GROUNDFLOW_READ).setValue(signOff.readId()));
        report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
        report.addCategory(new CodeableConcept(new Coding(Codes.V2_0074, Codes.RADIOLOGY, "Radiology")));
        report.setCode(new CodeableConcept(new Coding(Codes.LOINC, Codes.REPORT_CODE, Codes.REPORT_DISPLAY))
                .setText(Codes.REPORT_DISPLAY));
        report.setSubject(new Reference(context.patient()));
        report.setEffective(context.effective().copy());
        report.setIssuedElement(context.issued().copy());
        report.addPerformer(new Reference(context.organization()).setDisplay(request.organisationName().trim()));
        report.addResultsInterpreter(new Reference(context.practitioner()).setDisplay(signOff.reviewer()));
        report.addImagingStudy(new Reference(context.imagingStudy()));
        report.setConclusion(signOff.impression());
        report.addPresentedForm(new Attachment()
                .setContentType("text/html")
                .setLanguage("en")
                .setData(ReportHtml.render(request).getBytes(StandardCharsets.UTF_8))
                .setTitle("Imaging report")
                .setCreationElement(new DateTimeType(context.issued().getValue(),
                        TemporalPrecisionEnum.SECOND, TimeZone.getTimeZone("UTC"))));
        return report;
    }

    private String patientId() {
        return request.study().patientId().trim();
    }
}
