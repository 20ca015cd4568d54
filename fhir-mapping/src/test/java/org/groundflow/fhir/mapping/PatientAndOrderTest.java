package org.groundflow.fhir.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.groundflow.dicomweb.StudyContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/**
 * Which identifier system names the read's patient (per Issuer of Patient ID, else the default), and the bundle when
 * the EHR already holds the patient and the order: no Patient entry, references to the EHR's ids.
 */
class PatientAndOrderTest {

    static final String HOSPITAL_A = "HOSPITAL-A";
    static final String MRN_A = "urn:oid:1.2.826.0.1.3680043.8.498.101";
    static final String MRN_B = "https://ehr.example/fhir/sid/mrn-b";

    private final ReportMapper mapper = new ReportMapper(PatientIdentifierSystems.of(Fixtures.PATIENT_SYSTEM)
            .withIssuer(HOSPITAL_A, MRN_A).withIssuer("HOSPITAL-B", MRN_B));

    @Test
    void theSystemOfTheStudysIssuerIsChosen() {
        PublicationRequest request = Fixtures.request(study(" HOSPITAL-A "));

        Bundle bundle = mapper.toBundle(request);

        Patient patient = new BundleEntries(bundle).one(Patient.class);
        assertThat(patient.getIdentifierFirstRep().getSystem()).isEqualTo(MRN_A);
        assertThat(patient.getIdentifierFirstRep().getValue()).isEqualTo(Fixtures.PATIENT_ID);
        assertThat(new BundleEntries(bundle).entryOf(patient).getRequest().getIfNoneExist())
                .isEqualTo("identifier=" + MRN_A + "|" + Fixtures.PATIENT_ID);
        assertThat(mapper.patientIdentifier(request)).isEqualTo(new PatientIdentifier(MRN_A, Fixtures.PATIENT_ID));
        assertThat(mapper.patientIdentifier(Fixtures.request(study("HOSPITAL-B"))).system()).isEqualTo(MRN_B);
    }

    @Test
    void theDefaultIsUsedWithoutAnIssuerOrForOneNotListed() {
        assertThat(system(mapper.toBundle(Fixtures.request()))).isEqualTo(Fixtures.PATIENT_SYSTEM);
        assertThat(system(mapper.toBundle(Fixtures.request(study(""))))).isEqualTo(Fixtures.PATIENT_SYSTEM);
        assertThat(system(mapper.toBundle(Fixtures.request(study("HOSPITAL-C"))))).isEqualTo(Fixtures.PATIENT_SYSTEM);
        assertThat(system(mapper.toBundle(Fixtures.request(study("hospital-a"))))).as("issuers compare exactly")
                .isEqualTo(Fixtures.PATIENT_SYSTEM);
        assertThat(system(Fixtures.mapper().toBundle(Fixtures.request(study(HOSPITAL_A))))).as("no issuers configured")
                .isEqualTo(Fixtures.PATIENT_SYSTEM);
    }

    @Test
    void aPatientTheEhrHoldsIsReferencedByIdAndNotInTheBundle() {
        Bundle created = mapper.toBundle(Fixtures.request());

        Bundle bundle = mapper.toBundle(Fixtures.request(), EhrReferences.none().withPatientId("pat-7"));

        BundleEntries entries = new BundleEntries(bundle);
        assertThat(entries.all(Patient.class)).isEmpty();
        assertThat(bundle.getEntry()).hasSize(created.getEntry().size() - 1);
        assertThat(bundle.getEntry()).noneMatch(e -> e.getRequest().getUrl().startsWith("Patient"));
        assertThat(entries.one(DiagnosticReport.class).getSubject().getReference()).isEqualTo("Patient/pat-7");
        assertThat(entries.one(ImagingStudy.class).getSubject().getReference()).isEqualTo("Patient/pat-7");
        assertThat(entries.all(Observation.class)).hasSize(2)
                .allSatisfy(o -> assertThat(o.getSubject().getReference()).isEqualTo("Patient/pat-7"));
        assertThat(mapper.toJson(Fixtures.request())).doesNotContain("Patient/pat-7");
    }

    @Test
    void anOrderTheEhrHoldsIsTheBasisOfTheReportAndTheStudy() {
        BundleEntries entries = new BundleEntries(mapper.toBundle(Fixtures.request(),
                EhrReferences.none().withPatientId("pat-7").withServiceRequestId("sr-9")));

        DiagnosticReport report = entries.one(DiagnosticReport.class);
        assertThat(report.getBasedOn()).singleElement().satisfies(order -> {
            assertThat(order.getReference()).isEqualTo("ServiceRequest/sr-9");
            assertThat(order.getIdentifier().getValue()).isEqualTo("ACC-42");
            assertThat(order.getDisplay()).isEqualTo("Accession ACC-42");
        });
        assertThat(entries.one(ImagingStudy.class).getBasedOnFirstRep().getReference())
                .isEqualTo("ServiceRequest/sr-9");
    }

    @Test
    void withoutAnOrderFromTheEhrTheOrderIsNamedByAccessionNumberAlone() {
        DiagnosticReport report = new BundleEntries(mapper.toBundle(Fixtures.request())).one(DiagnosticReport.class);

        assertThat(report.getBasedOn()).singleElement().satisfies(order -> {
            assertThat(order.hasReference()).isFalse();
            assertThat(order.getType()).isEqualTo("ServiceRequest");
            assertThat(order.getIdentifier().getValue()).isEqualTo("ACC-42");
        });
    }

    @Test
    void systemsAndIdsAreCheckedWhenMade() {
        assertThatThrownBy(() -> PatientIdentifierSystems.of("mrn"))
                .hasMessage("defaultSystem must be an absolute URI, got 'mrn'");
        assertThatThrownBy(() -> PatientIdentifierSystems.of(MRN_A).withIssuer(HOSPITAL_A, "local"))
                .hasMessage("byIssuer[HOSPITAL-A] must be an absolute URI, got 'local'");
        assertThatThrownBy(() -> new PatientIdentifierSystems(MRN_A, Map.of(" ", MRN_B)))
                .hasMessage("byIssuer must not have a blank issuer, got ' '");
        assertThatThrownBy(() -> new PatientIdentifierSystems(MRN_A, Map.of("A", MRN_A, " A", MRN_B)))
                .hasMessage("byIssuer names issuer 'A' twice");
        assertThatThrownBy(() -> EhrReferences.none().withPatientId("Patient/7"))
                .hasMessage("patientId must be a FHIR id (1-64 of A-Z a-z 0-9 - .), got 'Patient/7'");
        assertThat(new PatientIdentifier(MRN_A, Fixtures.PATIENT_ID).toString()).doesNotContain(Fixtures.PATIENT_ID);
    }

    private static String system(Bundle bundle) {
        return new BundleEntries(bundle).one(Patient.class).getIdentifierFirstRep().getSystem();
    }

    private static StudyContext study(String issuer) {
        StudyContext s = Fixtures.study();
        return new StudyContext(s.patientName(), s.patientId(), s.patientBirthDate(), s.patientSex(), s.studyDate(),
                s.studyTime(), s.studyId(), s.accessionNumber(), s.referringPhysicianName(), s.studyDescription(),
                issuer);
    }
}
