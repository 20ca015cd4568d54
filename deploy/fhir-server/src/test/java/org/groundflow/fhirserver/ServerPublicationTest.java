package org.groundflow.fhirserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.groundflow.fhir.client.FhirEndpoint;
import org.groundflow.fhir.client.FhirPublisher;
import org.groundflow.fhir.mapping.Fixtures;
import org.groundflow.fhir.client.PublishedReport;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The report's lifecycle against a real FHIR server (HAPI JPA on H2, a child process shared by the test classes):
 * publish, publish again, amend, withdraw a finding, retract, and a draft signed later. Each test uses a read of its
 * own; they share the patient, the organisation, the model and the study, which must never be duplicated.
 */
@ExtendWith(SandboxServer.Extension.class)
class ServerPublicationTest {

    private static FhirPublisher publisher;
    private static ServerQueries server;

    @BeforeAll
    static void connect(SandboxServer sandbox) {
        publisher = new FhirPublisher(FhirEndpoint.of(sandbox.baseUrl()), Fixtures.mapper());
        server = ServerQueries.of(sandbox);
    }

    @AfterAll
    static void close() {
        publisher.close();
    }

    @Test
    void publishingTheSameReadTwiceLeavesOneReportAtVersionOne() {
        String read = "it-publish-twice";

        PublishedReport first = publisher.publish(Fixtures.request(read));
        PublishedReport second = publisher.publish(Fixtures.request(read));

        assertThat(first.versionId()).isEqualTo("1");
        assertThat(second).isEqualTo(first);
        assertThat(reports(read)).singleElement().satisfies(r -> {
            assertThat(r.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.FINAL);
            assertThat(r.getIdElement().getVersionIdPart()).isEqualTo("1");
            assertThat(r.getResult()).hasSize(2);
        });
        assertThat(observations(read)).hasSize(2)
                .allSatisfy(o -> assertThat(o.getIdElement().getVersionIdPart()).isEqualTo("1"));
        assertThat(search("Patient?identifier=" + Fixtures.PATIENT_SYSTEM + "|" + Fixtures.PATIENT_ID, Patient.class))
                .hasSize(1);
        assertThat(search("Provenance?target=" + first.reference(), Provenance.class)).hasSize(1);
    }

    @Test
    void storedReportPointsAtTheRadiologistTheStudyAndItsRendering() {
        String read = "it-read-back";
        PublishedReport published = publisher.publish(Fixtures.request(read));

        DiagnosticReport report = server.read(DiagnosticReport.class, published.reference());

        Practitioner interpreter = server.read(Practitioner.class, report.getResultsInterpreterFirstRep().getReference());
        assertThat(interpreter.getIdentifierFirstRep().getValue()).isEqualTo(Fixtures.REVIEWER);
        assertThat(report.getImagingStudyFirstRep().getReference()).startsWith("ImagingStudy/");
        assertThat(report.getBasedOnFirstRep().getIdentifier().getValue()).isEqualTo("ACC-42");
        assertThat(new String(report.getPresentedFormFirstRep().getData(), StandardCharsets.UTF_8))
                .contains("Reviewed and signed by " + Fixtures.REVIEWER);
        Provenance provenance = search("Provenance?target=" + published.reference(), Provenance.class).get(0);
        assertThat(provenance.getTarget()).hasSize(3);
        assertThat(provenance.getAgent()).anySatisfy(a -> assertThat(a.getWho().getReference()).startsWith("Practitioner/"));
        assertThat(provenance.getSignature()).as("no signing key, no signature element").isEmpty();
    }

    @Test
    void amendmentIsVersionTwoOfTheSameReportWithStatusAmended() {
        String read = "it-amend";
        PublishedReport signed = publisher.publish(Fixtures.request(read));

        PublishedReport amended = publisher.publish(Fixtures.requestAmended(read));
        PublishedReport replayed = publisher.publish(Fixtures.requestAmended(read));

        assertThat(amended.reportId()).isEqualTo(signed.reportId());
        assertThat(amended.versionId()).isEqualTo("2");
        assertThat(replayed).isEqualTo(amended);
        DiagnosticReport report = reports(read).get(0);
        assertThat(report.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.AMENDED);
        assertThat(report.getConclusion()).isEqualTo(Fixtures.AMENDED_IMPRESSION);
        assertThat(observations(read)).extracting(Observation::getStatus).containsExactlyInAnyOrder(
                Observation.ObservationStatus.FINAL, Observation.ObservationStatus.AMENDED);
        assertThat(search("Provenance?target=" + signed.reference(), Provenance.class)).hasSize(2);
    }

    @Test
    void findingWithdrawnInAnAmendmentIsEnteredInError() {
        String read = "it-withdraw";
        publisher.publish(Fixtures.request(read));

        publisher.publish(Fixtures.requestWithdrawingEffusion(read));

        DiagnosticReport report = reports(read).get(0);
        assertThat(report.getResult()).hasSize(1);
        assertThat(observations(read)).extracting(o -> o.getIdentifierFirstRep().getValue(), Observation::getStatus)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(read + "/1", Observation.ObservationStatus.FINAL),
                        org.assertj.core.groups.Tuple.tuple(read + "/3", Observation.ObservationStatus.ENTEREDINERROR));
    }

    @Test
    void retractionMarksTheReportAndItsObservationsEnteredInError() {
        String read = "it-retract";
        PublishedReport signed = publisher.publish(Fixtures.request(read));

        PublishedReport retracted = publisher.publish(Fixtures.requestRetracted(read));

        assertThat(retracted.reportId()).isEqualTo(signed.reportId());
        assertThat(retracted.versionId()).isEqualTo("2");
        assertThat(reports(read)).singleElement().extracting(DiagnosticReport::getStatus)
                .isEqualTo(DiagnosticReport.DiagnosticReportStatus.ENTEREDINERROR);
        assertThat(observations(read)).hasSize(2).extracting(Observation::getStatus)
                .containsOnly(Observation.ObservationStatus.ENTEREDINERROR);
    }

    @Test
    void draftPublishedBeforeSignOffBecomesTheFinalReport() {
        String read = "it-draft";

        PublishedReport draft = publisher.publish(Fixtures.requestDraft(read));
        DiagnosticReport preliminary = reports(read).get(0);
        PublishedReport signed = publisher.publish(Fixtures.request(read));

        assertThat(preliminary.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY);
        assertThat(preliminary.getResultsInterpreter()).isEmpty();
        assertThat(preliminary.getResult()).isEmpty();
        assertThat(signed.reportId()).isEqualTo(draft.reportId());
        assertThat(signed.versionId()).isEqualTo("2");
        assertThat(reports(read)).singleElement().satisfies(r -> {
            assertThat(r.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.FINAL);
            assertThat(r.getResultsInterpreter()).hasSize(1);
        });
    }

    private static List<DiagnosticReport> reports(String read) {
        return server.reports(read);
    }

    private static List<Observation> observations(String read) {
        return server.observations(read);
    }

    private static <T extends Resource> List<T> search(String query, Class<T> type) {
        return server.search(query, type);
    }
}
