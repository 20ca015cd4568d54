package org.groundflow.fhirserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.groundflow.dicomweb.StudyContext;
import org.groundflow.dicomweb.Uid;
import org.groundflow.fhir.client.EhrLookup;
import org.groundflow.fhir.client.FhirEndpoint;
import org.groundflow.fhir.client.FhirPatientNotFoundException;
import org.groundflow.fhir.client.FhirPublisher;
import org.groundflow.fhir.client.PatientPolicy;
import org.groundflow.fhir.client.PublishedReport;
import org.groundflow.fhir.mapping.EhrReferences;
import org.groundflow.fhir.mapping.Fixtures;
import org.groundflow.fhir.mapping.PatientIdentifierSystems;
import org.groundflow.fhir.mapping.PublicationRequest;
import org.groundflow.fhir.mapping.ReportMapper;
import org.groundflow.fhir.mapping.ReportSignature;
import org.groundflow.fhir.mapping.SigningKey;
import org.groundflow.fhir.mapping.TestSigningKeys;
import org.groundflow.inference.Interpretation;
import org.groundflow.review.SignOff;
import org.groundflow.review.SignedFinding;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Signature;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publication when the EHR must already hold the patient ({@link PatientPolicy#MUST_EXIST}), against the real FHIR
 * sandbox: the EHR registers the patient (by MRN, in the system of the study's Issuer of Patient ID) and the order
 * (by accession number) first; the report then refers to both and creates no patient. A study whose patient the EHR
 * does not know is refused before anything is written. Signed with a key store made for the test.
 */
@ExtendWith(SandboxServer.Extension.class)
class EhrPatientPublicationTest {

    private static final String ISSUER = "HOSPITAL-A";
    private static final String MRN_SYSTEM = "urn:oid:1.2.826.0.1.3680043.8.498.101";
    private static final String ACCESSION_SYSTEM = "urn:oid:1.2.826.0.1.3680043.8.498.102";

    @TempDir
    static Path keys;
    private static SigningKey key;
    private static ReportMapper mapper;
    private static FhirPublisher publisher;
    private static ServerQueries server;

    @BeforeAll
    static void connect(SandboxServer sandbox) {
        key = TestSigningKeys.key(TestSigningKeys.rsa(keys, "ehr"));
        mapper = new ReportMapper(PatientIdentifierSystems.of(Fixtures.PATIENT_SYSTEM).withIssuer(ISSUER, MRN_SYSTEM))
                .withSigningKey(key);
        publisher = new FhirPublisher(FhirEndpoint.of(sandbox.baseUrl()), mapper, null,
                new EhrLookup(PatientPolicy.MUST_EXIST, ACCESSION_SYSTEM));
        server = ServerQueries.of(sandbox);
    }

    @AfterAll
    static void close() {
        publisher.close();
    }

    @Test
    void reportRefersToThePatientAndTheOrderTheEhrHoldsAndCreatesNoPatient() {
        String patientId = server.client().create().resource(new Patient()
                .addIdentifier(new org.hl7.fhir.r4.model.Identifier().setSystem(MRN_SYSTEM).setValue("MRN-4711"))
                .setGender(AdministrativeGender.FEMALE)).execute().getId().getIdPart();
        ServiceRequest order = new ServiceRequest().setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE)
                .setIntent(ServiceRequest.ServiceRequestIntent.ORDER).setSubject(new Reference("Patient/" + patientId));
        order.addIdentifier().setSystem(ACCESSION_SYSTEM).setValue("ACC-EHR-1");
        order.getCode().setText("CT chest");
        String orderId = server.client().create().resource(order).execute().getId().getIdPart();
        PublicationRequest request = request("it-ehr-known", "1.2.826.0.1.3680043.8.498.20", "MRN-4711", "ACC-EHR-1");
        int patients = server.total("Patient");

        PublishedReport published = publisher.publish(request);

        DiagnosticReport report = server.read(DiagnosticReport.class, published.reference());
        assertThat(report.getSubject().getReference()).isEqualTo("Patient/" + patientId);
        assertThat(report.getBasedOnFirstRep().getReference()).isEqualTo("ServiceRequest/" + orderId);
        assertThat(server.total("Patient?identifier=MRN-4711")).as("patients with the MRN, in any system").isEqualTo(1);
        assertThat(server.total("Patient?identifier=" + MRN_SYSTEM + "|MRN-4711")).isEqualTo(1);
        assertThat(server.total("Patient")).as("no patient created").isEqualTo(patients);
        Signature stored = server.search("Provenance?target=" + published.reference(), Provenance.class).get(0)
                .getSignatureFirstRep();
        Bundle sent = mapper.toBundle(request, EhrReferences.none().withPatientId(patientId)
                .withServiceRequestId(orderId));
        DiagnosticReport asPublished = sent.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(DiagnosticReport.class::isInstance).map(DiagnosticReport.class::cast).findFirst().orElseThrow();
        assertThat(stored.getSigFormat()).isEqualTo("application/jose");
        assertThat(ReportSignature.verify(stored, asPublished, key.publicKey())).isTrue();
    }

    @Test
    void aStudyWhosePatientTheEhrDoesNotKnowIsRefusedAndNothingIsWritten() {
        String read = "it-ehr-unknown";
        String study = "1.2.826.0.1.3680043.8.498.21";
        int patients = server.total("Patient");
        int reports = server.total("DiagnosticReport");

        var e = assertThrows(FhirPatientNotFoundException.class,
                () -> publisher.publish(request(read, study, "MRN-0000", "ACC-EHR-2")));

        assertThat(e.getMessage()).isEqualTo("study " + study + ": no patient with this identifier in the EHR "
                + "(identifier system " + MRN_SYSTEM + ")");
        assertThat(e.retryable()).isFalse();
        assertThat(server.total("Patient")).isEqualTo(patients);
        assertThat(server.total("DiagnosticReport")).isEqualTo(reports);
        assertThat(server.reports(read)).isEmpty();
        assertThat(server.total("ImagingStudy?identifier=urn:dicom:uid|urn:oid:" + study)).isZero();
    }

    /** A signed read of its own study, with one kept finding, whose patient is named by the issuer's MRN. */
    private static PublicationRequest request(String read, String study, String mrn, String accession) {
        Interpretation interpretation = new Interpretation(Uid.of(study), Fixtures.SERIES, Fixtures.MODEL,
                List.of(Fixtures.NODULE), "Pulmonary nodule.");
        SignOff signOff = new SignOff(read, interpretation,
                List.of(new SignedFinding(Fixtures.NODULE, Fixtures.NODULE.text(), false, 1)), List.of(),
                "Right upper lobe nodule.", Fixtures.REVIEWER, Fixtures.SIGNED_AT);
        StudyContext context = new StudyContext("Doe^Jane", mrn, "19600101", "F", "20240315", "101500", "1",
                accession, "", "CT CHEST", ISSUER);
        return new PublicationRequest(signOff, context, Fixtures.SERIES, Fixtures.SEG_SOP, Fixtures.DICOMWEB,
                Fixtures.ORGANISATION);
    }
}
