package org.groundflow.fhir.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ca.uhn.fhir.context.FhirContext;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.groundflow.fhir.mapping.Fixtures;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The publisher's look-ups in the EHR before a bundle is built: the patient under {@link PatientPolicy#MUST_EXIST}
 * and the order by accession number; the requests sent and the bundle that follows (or that nothing is sent).
 */
class EhrSearchTest {

    private static final String FHIR_JSON = "application/fhir+json;charset=UTF-8";
    private static final String ACCESSION_SYSTEM = "urn:oid:1.2.826.0.1.3680043.8.498.77";
    private static final String TOKEN = "eyJhbGciOiJub25lIn0.e30.sig";

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private FhirPublisher publisher;

    @AfterEach
    void close() {
        if (publisher != null) {
            publisher.close();
        }
    }

    @Test
    void mustExistSearchesThePatientByIdentifierAndTheBundleReferencesIt() {
        patients(patient("pat-7"));
        answerTransactionWithoutPatient();
        publisher = publisher(EhrLookup.none().withPatientPolicy(PatientPolicy.MUST_EXIST));

        PublishedReport published = publisher.publish(Fixtures.request());

        assertThat(published.reportId()).isEqualTo("1009");
        server.verify(1, getRequestedFor(urlPathEqualTo("/fhir/Patient"))
                .withQueryParam("identifier", equalTo(Fixtures.PATIENT_SYSTEM + "|" + Fixtures.PATIENT_ID))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
        Bundle sent = sentBundle();
        assertThat(sent.getEntry()).hasSize(9).noneMatch(e -> e.getResource().fhirType().equals("Patient"));
        assertThat(sent.getEntry()).filteredOn(e -> e.getResource() instanceof DiagnosticReport).singleElement()
                .satisfies(e -> assertThat(((DiagnosticReport) e.getResource()).getSubject().getReference())
                        .isEqualTo("Patient/pat-7"));
    }

    @Test
    void mustExistWithoutThePatientFailsForGoodNamingTheStudyAndSendsNothing() {
        patients();
        publisher = publisher(EhrLookup.none().withPatientPolicy(PatientPolicy.MUST_EXIST));

        var e = assertThrows(FhirPatientNotFoundException.class, () -> publisher.publish(Fixtures.request()));

        assertThat(e.getMessage()).isEqualTo("study " + Fixtures.STUDY + ": no patient with this identifier in the EHR "
                + "(identifier system " + Fixtures.PATIENT_SYSTEM + ")");
        assertThat(e.getMessage()).doesNotContain(Fixtures.PATIENT_ID).doesNotContain("Doe");
        assertThat(e.retryable()).isFalse();
        assertThat(e.studyInstanceUid()).isEqualTo(Fixtures.STUDY);
        server.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    void mustExistWithTwoPatientsOfOneIdentifierFailsToo() {
        patients(patient("pat-7"), patient("pat-8"));
        publisher = publisher(EhrLookup.none().withPatientPolicy(PatientPolicy.MUST_EXIST));

        var e = assertThrows(FhirPatientNotFoundException.class, () -> publisher.publish(Fixtures.request()));

        assertThat(e.getMessage()).isEqualTo("study " + Fixtures.STUDY + ": more than one patient with this identifier "
                + "in the EHR (identifier system " + Fixtures.PATIENT_SYSTEM + ")");
        server.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    void aFailedSearchIsTypedLikeAFailedTransaction() {
        server.stubFor(get(urlPathEqualTo("/fhir/Patient")).willReturn(aResponse().withStatus(503)));
        publisher = publisher(EhrLookup.none().withPatientPolicy(PatientPolicy.MUST_EXIST));

        var e = assertThrows(FhirUnavailableException.class, () -> publisher.publish(Fixtures.request()));

        assertThat(e.getMessage()).isEqualTo("the Patient search of study " + Fixtures.STUDY + " (read "
                + Fixtures.READ_ID + ") at FHIR server " + server.baseUrl() + "/fhir failed with HTTP 503");
        assertThat(e.retryable()).isTrue();
        server.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    void theOrderOfTheFoundPatientIsTheReportsBasis() {
        patients(patient("pat-7"));
        orders(order("sr-1", "pat-7"));
        answerTransactionWithoutPatient();
        publisher = publisher(new EhrLookup(PatientPolicy.MUST_EXIST, ACCESSION_SYSTEM));

        publisher.publish(Fixtures.request());

        server.verify(1, getRequestedFor(urlPathEqualTo("/fhir/ServiceRequest"))
                .withQueryParam("identifier", equalTo(ACCESSION_SYSTEM + "|ACC-42"))
                .withQueryParam("_include", equalTo("ServiceRequest:subject")));
        assertThat(sentReport().getBasedOnFirstRep().getReference()).isEqualTo("ServiceRequest/sr-1");
    }

    @Test
    void anOrderIsUsedWithoutMustExistWhenItsIncludedSubjectCarriesThePatientsIdentifier() {
        orders(order("sr-1", "pat-7"), patient("pat-7"));
        answer("transaction-response.json");
        publisher = publisher(EhrLookup.none().withAccessionSystem(ACCESSION_SYSTEM));

        publisher.publish(Fixtures.request());

        server.verify(0, getRequestedFor(urlPathEqualTo("/fhir/Patient")));
        assertThat(sentReport().getBasedOnFirstRep().getReference()).isEqualTo("ServiceRequest/sr-1");
        assertThat(sentReport().getSubject().getReference()).startsWith("urn:uuid:");
    }

    @Test
    void anOrderOfAnotherPatientOrOneOfSeveralIsNotUsed() {
        patients(patient("pat-7"));
        orders(order("sr-1", "pat-8"));
        answerTransactionWithoutPatient();
        publisher = publisher(new EhrLookup(PatientPolicy.MUST_EXIST, ACCESSION_SYSTEM));

        publisher.publish(Fixtures.request());
        orders(order("sr-1", "pat-7"), order("sr-2", "pat-7"));
        publisher.publish(Fixtures.request());

        assertThat(server.findAll(postRequestedFor(anyUrl()))).hasSize(2).allSatisfy(request -> {
            DiagnosticReport report = report(parse(request.getBodyAsString()));
            assertThat(report.getBasedOnFirstRep().hasReference()).isFalse();
            assertThat(report.getBasedOnFirstRep().getIdentifier().getValue()).isEqualTo("ACC-42");
        });
    }

    @Test
    void nothingIsLookedUpByDefault() {
        answer("transaction-response.json");
        publisher = new FhirPublisher(endpoint(), Fixtures.mapper(), null);

        publisher.publish(Fixtures.request());

        server.verify(0, getRequestedFor(anyUrl()));
        assertThat(sentReport().getBasedOnFirstRep().hasReference()).isFalse();
    }

    private FhirPublisher publisher(EhrLookup lookup) {
        return new FhirPublisher(endpoint().withBearerToken(TOKEN), Fixtures.mapper(), null, lookup);
    }

    private static FhirEndpoint endpoint() {
        return FhirEndpoint.of(server.baseUrl() + "/fhir");
    }

    private static String patient(String id) {
        return "{\"fullUrl\":\"" + server.baseUrl() + "/fhir/Patient/" + id + "\",\"resource\":{\"resourceType\":"
                + "\"Patient\",\"id\":\"" + id + "\",\"identifier\":[{\"system\":\"" + Fixtures.PATIENT_SYSTEM
                + "\",\"value\":\"" + Fixtures.PATIENT_ID + "\"}]},\"search\":{\"mode\":\"match\"}}";
    }

    private static String order(String id, String patientId) {
        return "{\"resource\":{\"resourceType\":\"ServiceRequest\",\"id\":\"" + id + "\",\"status\":\"active\","
                + "\"intent\":\"order\",\"identifier\":[{\"system\":\"" + ACCESSION_SYSTEM + "\",\"value\":\"ACC-42\"}],"
                + "\"subject\":{\"reference\":\"Patient/" + patientId + "\"}},\"search\":{\"mode\":\"match\"}}";
    }

    private static void patients(String... entries) {
        server.stubFor(get(urlPathEqualTo("/fhir/Patient")).willReturn(searchset(entries)));
    }

    /** A ServiceRequest search answer; Patient entries among them are marked as included. */
    private static void orders(String... entries) {
        String[] marked = entries.clone();
        for (int i = 0; i < marked.length; i++) {
            if (marked[i].contains("\"resourceType\":\"Patient\"")) {
                marked[i] = marked[i].replace("\"mode\":\"match\"", "\"mode\":\"include\"");
            }
        }
        server.stubFor(get(urlPathEqualTo("/fhir/ServiceRequest")).willReturn(searchset(marked)));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder searchset(String... entries) {
        return aResponse().withStatus(200).withHeader("Content-Type", FHIR_JSON)
                .withBody("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":["
                        + String.join(",", entries) + "]}");
    }

    /** The fixture's transaction-response without its first entry (the Patient a must-exist bundle does not hold). */
    private static void answerTransactionWithoutPatient() {
        Bundle response = parse(resource("transaction-response.json"));
        response.getEntry().remove(0);
        server.stubFor(post("/fhir").willReturn(aResponse().withStatus(200).withHeader("Content-Type", FHIR_JSON)
                .withBody(FhirContext.forR4Cached().newJsonParser().encodeResourceToString(response))));
    }

    private static void answer(String name) {
        server.stubFor(post("/fhir").willReturn(aResponse().withStatus(200).withHeader("Content-Type", FHIR_JSON)
                .withBody(resource(name))));
    }

    private static Bundle sentBundle() {
        return parse(server.findAll(postRequestedFor(anyUrl())).get(0).getBodyAsString());
    }

    private static DiagnosticReport sentReport() {
        return report(sentBundle());
    }

    private static DiagnosticReport report(Bundle bundle) {
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(DiagnosticReport.class::isInstance).map(DiagnosticReport.class::cast).findFirst().orElseThrow();
    }

    private static Bundle parse(String json) {
        return FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, json);
    }

    private static String resource(String name) {
        try (InputStream in = EhrSearchTest.class.getResourceAsStream("/fhir/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
