package org.groundflow.fhir.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ca.uhn.fhir.context.FhirContext;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import org.groundflow.inference.Finding;
import org.groundflow.inference.Measurements;
import org.groundflow.review.SignedFinding;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.Test;

class ReportMapperTest {

    private final ReportMapper mapper = Fixtures.mapper();
    private final BundleEntries bundle = new BundleEntries(mapper.toBundle(Fixtures.request()));
    private final DiagnosticReport report = bundle.one(DiagnosticReport.class);

    @Test
    void isATransactionWithOneEntryPerResource() {
        assertThat(bundle.bundle().getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        assertThat(bundle.bundle().getEntry()).hasSize(10);
        assertThat(bundle.bundle().getEntry().stream().map(e -> e.getResource().fhirType()))
                .containsExactly("Patient", "Organization", "Practitioner", "Device", "Endpoint", "ImagingStudy",
                        "Observation", "Observation", "DiagnosticReport", "Provenance");
        assertThat(bundle.bundle().getEntry().subList(0, 9))
                .allSatisfy(e -> assertThat(e.getFullUrl()).startsWith("urn:uuid:"));
    }

    @Test
    void reportIsFinalRadiologyImagingReport() {
        assertThat(report.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.FINAL);
        assertThat(report.getIdentifierFirstRep().getSystem()).isEqualTo("urn:groundflow:read");
        assertThat(report.getIdentifierFirstRep().getValue()).isEqualTo(Fixtures.READ_ID);
        assertThat(report.getCategoryFirstRep().getCoding())
                .extracting(Coding::getSystem, Coding::getCode)
                .containsExactly(tuple("http://loinc.org", "LP29684-5"),
                        tuple("http://terminology.hl7.org/CodeSystem/v2-0074", "RAD"));
        assertThat(report.getCode().getCodingFirstRep())
                .extracting(Coding::getSystem, Coding::getCode, Coding::getDisplay)
                .containsExactly("http://loinc.org", "18748-4", "Diagnostic imaging study");
        assertThat(report.getConclusion()).isEqualTo(Fixtures.IMPRESSION);
    }

    @Test
    void reportIsEffectiveOnTheStudyDateAndIssuedWhenSigned() {
        assertThat(report.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2024-03-15");
        assertThat(report.getIssued()).isEqualTo(Date.from(Fixtures.SIGNED_AT));
        assertThat(report.getIssuedElement().getValueAsString()).isEqualTo("2024-03-16T09:30:00.000Z");
    }

    @Test
    void withoutAValidStudyDateTheReportIsEffectiveWhenSigned() {
        for (String studyDate : new String[] {null, "", "20241345", "2024-03-15"}) {
            DiagnosticReport r = new BundleEntries(mapper.toBundle(Fixtures.request(Fixtures.studyWithDate(studyDate))))
                    .one(DiagnosticReport.class);
            assertThat(r.getEffectiveDateTimeType().getValue()).as(studyDate).isEqualTo(Date.from(Fixtures.SIGNED_AT));
        }
    }

    @Test
    void resultsInterpreterIsTheSigningRadiologistNeverTheModel() {
        assertThat(report.getResultsInterpreter()).hasSize(1);
        Practitioner interpreter = (Practitioner) bundle.resolve(report.getResultsInterpreterFirstRep());
        assertThat(interpreter.getIdentifierFirstRep().getSystem()).isEqualTo("urn:groundflow:user");
        assertThat(interpreter.getIdentifierFirstRep().getValue()).isEqualTo(Fixtures.REVIEWER);
        assertThat(report.getResultsInterpreterFirstRep().getDisplay()).isEqualTo(Fixtures.REVIEWER);
    }

    @Test
    void performerIsTheOrganisation() {
        Organization performer = (Organization) bundle.resolve(report.getPerformerFirstRep());
        assertThat(performer.getName()).isEqualTo(Fixtures.ORGANISATION);
    }

    @Test
    void studyUidIsOnTheImagingStudyTheReportPointsAt() {
        ImagingStudy study = (ImagingStudy) bundle.resolve(report.getImagingStudyFirstRep());

        assertThat(study.getIdentifierFirstRep().getSystem()).isEqualTo("urn:dicom:uid");
        assertThat(study.getIdentifierFirstRep().getValue()).isEqualTo("urn:oid:" + Fixtures.STUDY);
        assertThat(study.getStatus()).isEqualTo(ImagingStudy.ImagingStudyStatus.AVAILABLE);
        assertThat(study.getSeries()).singleElement()
                .satisfies(s -> assertThat(s.getUid()).isEqualTo(Fixtures.SERIES.value()))
                .satisfies(s -> assertThat(s.getModality().getCode()).isEqualTo("CT"));
        assertThat(study.getIdentifier()).extracting(i -> i.getType().getCodingFirstRep().getCode(), i -> i.getValue())
                .contains(tuple("ACSN", "ACC-42"));
        assertThat(bundle.resolve(study.getSubject())).isSameAs(bundle.resolve(report.getSubject()));
        Endpoint endpoint = (Endpoint) bundle.resolve(study.getEndpointFirstRep());
        assertThat(endpoint.getAddress()).isEqualTo(Fixtures.DICOMWEB);
        assertThat(endpoint.getConnectionType().getCode()).isEqualTo("dicom-wado-rs");
    }

    @Test
    void subjectIsThePatientByDicomPatientId() {
        Patient patient = (Patient) bundle.resolve(report.getSubject());

        assertThat(patient.getIdentifierFirstRep().getSystem()).isEqualTo(Fixtures.PATIENT_SYSTEM);
        assertThat(patient.getIdentifierFirstRep().getValue()).isEqualTo(Fixtures.PATIENT_ID);
        assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("Doe");
        assertThat(patient.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Jane");
        assertThat(patient.getNameFirstRep().getPrefixAsSingleString()).isEqualTo("Dr");
        assertThat(patient.getGender().toCode()).isEqualTo("female");
        assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo("1960-01-01");
    }

    @Test
    void modelIsADeviceWithNameVersionAndUid() {
        Device device = bundle.one(Device.class);

        assertThat(device.getIdentifierFirstRep().getSystem()).isEqualTo("urn:dicom:uid");
        assertThat(device.getIdentifierFirstRep().getValue()).isEqualTo("urn:oid:" + Fixtures.MODEL_UID);
        assertThat(device.getDeviceNameFirstRep().getName()).isEqualTo("groundflow-chest-ct");
        assertThat(device.getVersionFirstRep().getValue()).isEqualTo("0.1.0");
        assertThat(device.getManufacturer()).isEqualTo("Groundflow");
    }

    @Test
    void oneObservationPerKeptFindingNoneForRejected() {
        List<Observation> observations = bundle.all(Observation.class);

        assertThat(observations).extracting(o -> o.getCode().getCodingFirstRep().getCode())
                .containsExactly("786838002", "60046008");
        assertThat(report.getResult()).extracting(r -> bundle.resolve(r)).containsExactlyElementsOf(observations);
        assertThat(observations).allSatisfy(o -> {
            assertThat(o.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
            assertThat(o.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://snomed.info/sct");
            assertThat(bundle.resolve(o.getDerivedFromFirstRep())).isInstanceOf(ImagingStudy.class);
            assertThat(bundle.resolve(o.getDevice())).isInstanceOf(Device.class);
            assertThat(bundle.resolve(o.getPerformerFirstRep())).isInstanceOf(Practitioner.class);
        });
    }

    @Test
    void observationsCarryTheSignedTextEditedOrNot() {
        List<Observation> observations = bundle.all(Observation.class);

        assertThat(observations).extracting(o -> o.getValueStringType().getValue())
                .containsExactly(Fixtures.NODULE.text(), Fixtures.EDITED_TEXT);
        assertThat(observations).extracting(o -> o.getNoteFirstRep().getText())
                .containsExactly("AI finding 1 (segment 1 of the DICOM-SEG), accepted unchanged",
                        "AI finding 3 (segment 2 of the DICOM-SEG), edited by the radiologist");
    }

    @Test
    void observationPointsAtItsSegSegment() {
        Observation effusion = bundle.all(Observation.class).get(1);
        Extension segment = effusion.getExtensionByUrl(Codes.SEGMENT_EXTENSION);

        assertThat(segment.getExtensionByUrl("sopInstanceUid").getValue().primitiveValue())
                .isEqualTo("urn:oid:" + Fixtures.SEG_SOP);
        assertThat(((PositiveIntType) segment.getExtensionByUrl("segmentNumber").getValue()).getValue()).isEqualTo(2);
        assertThat(effusion.getIdentifierFirstRep().getSystem()).isEqualTo("urn:groundflow:finding");
        assertThat(effusion.getIdentifierFirstRep().getValue()).isEqualTo(Fixtures.READ_ID + "/3");
    }

    @Test
    void bodySiteIsTheFindingsCodedSiteWithItsLocationWords() {
        Observation nodule = bundle.all(Observation.class).get(0);

        assertThat(nodule.getBodySite().getCoding()).singleElement().satisfies(c -> {
            assertThat(c.getSystem()).isEqualTo("http://snomed.info/sct");
            assertThat(c.getCode()).isEqualTo("39607008");
            assertThat(c.getDisplay()).isEqualTo("Lung");
        });
        assertThat(nodule.getBodySite().getText()).isEqualTo("right upper lobe");
    }

    @Test
    void measurementsAreUcumComponents() {
        Observation nodule = bundle.all(Observation.class).get(0);

        assertThat(nodule.getComponent())
                .extracting(c -> c.getCode().getCodingFirstRep().getCode(), c -> c.getValueQuantity().getValue(),
                        c -> c.getValueQuantity().getSystem(), c -> c.getValueQuantity().getCode())
                .containsExactly(
                        tuple("103339001", new BigDecimal("12.3"), "http://unitsofmeasure.org", "mm"),
                        tuple("118565006", new BigDecimal("0.812"), "http://unitsofmeasure.org", "mL"),
                        tuple("112031", new BigDecimal("-412.7"), "http://unitsofmeasure.org", "[hnsf'U]"),
                        tuple("confidence", new BigDecimal("0.93"), "http://unitsofmeasure.org", "1"));
        assertThat(nodule.getComponent().get(3).getCode().getCodingFirstRep().getSystem())
                .isEqualTo("http://groundflow.org/fhir/CodeSystem/model-output");
    }

    @Test
    void missingOrNonFiniteMeasurementsGiveNoComponent() {
        Finding unmeasured = new Finding(1, "nodule", Fixtures.NODULE.code(), "A nodule.", "nodule", 1, null, null, null,
                null, null);
        Finding partly = new Finding(3, "effusion", Fixtures.EFFUSION.code(), "An effusion.", "effusion", 3, null,
                new Measurements(Double.NaN, 2.5, Double.POSITIVE_INFINITY), " ", null, null);
        var request = Fixtures.request(Fixtures.signOff(List.of(new SignedFinding(unmeasured, "A nodule.", false, 1),
                new SignedFinding(partly, "An effusion.", false, 2)), List.of()));

        List<Observation> observations = new BundleEntries(mapper.toBundle(request)).all(Observation.class);

        assertThat(observations.get(0).getComponent()).isEmpty();
        assertThat(observations.get(1).getComponent()).singleElement()
                .satisfies(c -> assertThat(c.getValueQuantity()).extracting(Quantity::getCode).isEqualTo("mL"));
        assertThat(observations).allSatisfy(o -> assertThat(o.hasBodySite()).isFalse());
    }

    @Test
    void entriesAreConditionalWithoutPlaceholdersInTheirUrls() {
        assertThat(bundle.entryOf(report).getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
        assertThat(bundle.entryOf(report).getRequest().getUrl())
                .isEqualTo("DiagnosticReport?identifier=urn:groundflow:read|" + Fixtures.READ_ID);
        Bundle.BundleEntryRequestComponent patient = bundle.entryOf(bundle.one(Patient.class)).getRequest();
        assertThat(patient.getMethod()).isEqualTo(Bundle.HTTPVerb.POST);
        assertThat(patient.getIfNoneExist()).isEqualTo("identifier=" + Fixtures.PATIENT_SYSTEM + "|" + Fixtures.PATIENT_ID);
        assertThat(bundle.entryOf(bundle.one(Practitioner.class)).getRequest().getUrl())
                .isEqualTo("Practitioner?identifier=urn:groundflow:user|" + Fixtures.REVIEWER);
        assertThat(bundle.entryOf(bundle.one(ImagingStudy.class)).getRequest().getIfNoneExist())
                .isEqualTo("identifier=urn:dicom:uid|urn:oid:" + Fixtures.STUDY);
        assertThat(bundle.all(Observation.class)).extracting(o -> bundle.entryOf(o).getRequest().getUrl())
                .containsExactly("Observation?identifier=urn:groundflow:finding|" + Fixtures.READ_ID + "/1",
                        "Observation?identifier=urn:groundflow:finding|" + Fixtures.READ_ID + "/3");
        assertThat(bundle.entryOf(bundle.one(org.hl7.fhir.r4.model.Provenance.class)).getRequest().getUrl())
                .matches("Provenance/gf-[0-9a-f-]{36}");
        assertThat(bundle.bundle().getEntry()).allSatisfy(e -> {
            assertThat(e.getRequest().getUrl()).doesNotContain("urn:uuid");
            assertThat(String.valueOf(e.getRequest().getIfNoneExist())).doesNotContain("urn:uuid");
            assertThat(e.getRequest().getMethod() == Bundle.HTTPVerb.PUT || e.getRequest().hasIfNoneExist()).isTrue();
        });
    }

    @Test
    void sameRequestGivesTheSameJsonAndAnotherReadOtherIds() {
        String json = mapper.toJson(Fixtures.request());

        assertThat(mapper.toJson(Fixtures.request())).isEqualTo(json);
        assertThat(ReportMapper.fullUrl(Fixtures.READ_ID, "DiagnosticReport"))
                .isEqualTo(bundle.fullUrlOf(report))
                .isNotEqualTo(ReportMapper.fullUrl("read-2024-0002", "DiagnosticReport"));
    }

    @Test
    void jsonParsesBackToTheSameBundle() {
        FhirContext fhir = FhirContext.forR4Cached();
        String json = mapper.toJson(Fixtures.request());

        Bundle parsed = fhir.newJsonParser().parseResource(Bundle.class, json);
        BundleEntries entries = new BundleEntries(parsed);

        assertThat(fhir.newJsonParser().setPrettyPrint(true).encodeResourceToString(parsed)).isEqualTo(json);
        assertThat(json).contains("\"resourceType\": \"Bundle\"", "\"type\": \"transaction\"");
        DiagnosticReport report = entries.one(DiagnosticReport.class);
        assertThat(report.getResult()).hasSize(2);
        assertThat(((Practitioner) entries.resolve(report.getResultsInterpreterFirstRep())).getIdentifierFirstRep()
                .getValue()).isEqualTo(Fixtures.REVIEWER);
    }

    @Test
    void nothingKeptGivesAReportWithoutResults() {
        BundleEntries none = new BundleEntries(mapper.toBundle(Fixtures.requestNothingKept()));
        DiagnosticReport r = none.one(DiagnosticReport.class);

        assertThat(none.all(Observation.class)).isEmpty();
        assertThat(r.getResult()).isEmpty();
        assertThat(r.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.FINAL);
        assertThat(html(r)).contains("No findings reported.", "3 AI findings were rejected by the radiologist");
    }

    @Test
    void presentedFormSaysWhatCameFromAiWhatWasEditedAndWhoSignedWhen() {
        assertThat(report.getPresentedFormFirstRep().getContentType()).isEqualTo("text/html;charset=utf-8");
        String html = html(report);

        assertThat(html).contains(
                "A 12 mm nodule in the right upper lobe. <em>(AI finding 1 (segment 1 of the DICOM-SEG), accepted unchanged)</em>",
                Fixtures.EDITED_TEXT + " <em>(AI finding 3 (segment 2 of the DICOM-SEG), edited by the radiologist)</em>",
                "1 AI finding was rejected by the radiologist",
                "edited by the radiologist)</em></p>",
                "drafted by the AI model groundflow-chest-ct version 0.1.0",
                "segmentation " + Fixtures.SEG_SOP,
                "Reviewed and signed by " + Fixtures.REVIEWER + " at 2024-03-16T09:30:00Z");
        assertThat(html).doesNotContain(Fixtures.EMPHYSEMA.text());
    }

    @Test
    void presentedFormEscapesSignedText() {
        Finding nodule = Fixtures.NODULE;
        var request = Fixtures.request(Fixtures.signOff(
                List.of(new SignedFinding(nodule, "Nodule <5 mm & \"stable\"", true, 1)), List.of()));

        String html = html(new BundleEntries(mapper.toBundle(request)).one(DiagnosticReport.class));

        assertThat(html).contains("Nodule &lt;5 mm &amp; &quot;stable&quot;").doesNotContain("<5 mm");
    }

    @Test
    void conclusionIsCodedWithTheReportedFindingsSnomedConcepts() {
        assertThat(report.getConclusionCode()).extracting(c -> c.getCodingFirstRep().getSystem(),
                        c -> c.getCodingFirstRep().getCode())
                .containsExactly(tuple("http://snomed.info/sct", "786838002"), tuple("http://snomed.info/sct", "60046008"));
        assertThat(new BundleEntries(mapper.toBundle(Fixtures.requestNothingKept())).one(DiagnosticReport.class)
                .getConclusionCode()).isEmpty();
    }

    @Test
    void segmentPointerKeepsTheGroundedPhraseWhileTheSignedSentenceHasIt() {
        List<Observation> observations = bundle.all(Observation.class);

        assertThat(observations.get(0).getExtensionByUrl(Codes.SEGMENT_EXTENSION).getExtensionByUrl("groundedPhrase")
                .getValue().primitiveValue()).isEqualTo("nodule in the right upper lobe");
        // finding 3 was reworded: "left pleural effusion" is still in it
        assertThat(observations.get(1).getExtensionByUrl(Codes.SEGMENT_EXTENSION).getExtensionByUrl("groundedPhrase")
                .getValue().primitiveValue()).isEqualTo("left pleural effusion");
    }

    @Test
    void patientWithoutNameOrSexStillHasANameReasonAndAGender() {
        var anonymous = new org.groundflow.dicomweb.StudyContext("", Fixtures.PATIENT_ID, null, null, "20240315",
                null, null, null, null, null);
        Patient patient = new BundleEntries(mapper.toBundle(Fixtures.request(anonymous))).one(Patient.class);

        assertThat(patient.getGender()).isEqualTo(org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.UNKNOWN);
        assertThat(patient.getNameFirstRep().getExtensionByUrl("http://hl7.org/fhir/StructureDefinition/data-absent-reason")
                .getValue().primitiveValue()).isEqualTo("unknown");
    }

    @Test
    void organisationIsConditionalOnItsIdentifier() {
        Organization organization = bundle.one(Organization.class);

        assertThat(organization.getIdentifierFirstRep().getSystem()).isEqualTo("urn:groundflow:organization");
        assertThat(bundle.entryOf(organization).getRequest().getIfNoneExist())
                .isEqualTo("identifier=urn:groundflow:organization|Groundflow%20Radiology");
    }

    @Test
    void patientIdentifierSystemMustBeAnAbsoluteUri() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ReportMapper("dicom-patient-id"));
        assertThat(e).hasMessage("patientIdentifierSystem must be an absolute URI, got 'dicom-patient-id'");
    }

    private static String html(DiagnosticReport report) {
        return new String(report.getPresentedFormFirstRep().getData(), StandardCharsets.UTF_8);
    }
}
