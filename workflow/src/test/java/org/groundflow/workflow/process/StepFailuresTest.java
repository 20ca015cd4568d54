package org.groundflow.workflow.process;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchRuntimeException;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.groundflow.dicomweb.DicomWebStatusException;
import org.groundflow.dicomweb.DicomWebTransportException;
import org.groundflow.fhir.client.EhrLookup;
import org.groundflow.fhir.client.FhirEndpoint;
import org.groundflow.fhir.client.FhirPatientNotFoundException;
import org.groundflow.fhir.client.FhirPublisher;
import org.groundflow.fhir.client.PatientPolicy;
import org.groundflow.fhir.mapping.Fixtures;
import org.junit.jupiter.api.Test;

/** A publication the EHR cannot take until someone acts ends the step's retries at once. */
class StepFailuresTest {

    @Test
    void aPatientMissingFromTheEhrIsPermanentAndAnUnavailableEhrIsNot() {
        WireMockServer ehr = new WireMockServer(wireMockConfig().dynamicPort());
        ehr.start();
        try (FhirPublisher publisher = new FhirPublisher(FhirEndpoint.of(ehr.baseUrl() + "/fhir"), Fixtures.mapper(),
                null, EhrLookup.none().withPatientPolicy(PatientPolicy.MUST_EXIST))) {
            ehr.stubFor(get(urlPathEqualTo("/fhir/Patient")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/fhir+json")
                    .withBody("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"total\":0}")));
            RuntimeException missing = catchRuntimeException(() -> publisher.publish(Fixtures.request()));
            ehr.stubFor(get(urlPathEqualTo("/fhir/Patient")).willReturn(aResponse().withStatus(503)));
            RuntimeException unavailable = catchRuntimeException(() -> publisher.publish(Fixtures.request()));

            assertThat(missing).isInstanceOf(FhirPatientNotFoundException.class)
                    .hasMessageStartingWith("study " + Fixtures.STUDY + ": no patient with this identifier in the EHR");
            assertThat(StepFailures.isPermanent(new RuntimeException("PublishFhir failed", missing))).isTrue();
            assertThat(StepFailures.isPermanent(unavailable)).isFalse();
        } finally {
            ehr.stop();
        }
    }

    @Test
    void aPacsRefusingTheRequestIsPermanentAndAPacsDownBusyOrInConflictIsNot() {
        for (int status : new int[] {400, 401, 403, 404, 410, 415}) {
            assertThat(StepFailures.isPermanent(new DicomWebStatusException("http://pacs/dicom-web/studies", status, "")))
                    .as("HTTP %s", status).isTrue();
        }
        for (int status : new int[] {408, 409, 429, 500, 502, 503, 504}) {
            assertThat(StepFailures.isPermanent(new DicomWebStatusException("http://pacs/dicom-web/studies", status, "")))
                    .as("HTTP %s", status).isFalse();
        }
        assertThat(StepFailures.isPermanent(new DicomWebTransportException("http://pacs/dicom-web/studies", false,
                "Connection refused", null))).isFalse();
    }

    @Test
    void aConflictOfConcurrentFhirWritesIsRetriedAndTheIncidentNamesTheStudyAndTheServer() {
        WireMockServer ehr = new WireMockServer(wireMockConfig().dynamicPort());
        ehr.start();
        String base = ehr.baseUrl() + "/fhir";
        try (FhirPublisher publisher = new FhirPublisher(FhirEndpoint.of(base), Fixtures.mapper())) {
            ehr.stubFor(post(urlPathEqualTo("/fhir")).willReturn(aResponse().withStatus(409)));
            RuntimeException conflict = catchRuntimeException(() -> publisher.publish(Fixtures.request()));
            ehr.stop();
            RuntimeException down = catchRuntimeException(() -> publisher.publish(Fixtures.request()));

            assertThat(StepFailures.isPermanent(conflict)).isFalse();
            RuntimeException named = StepFailures.naming(Fixtures.STUDY, down);
            assertThat(StepFailures.isPermanent(named)).isFalse();
            assertThat(named).hasMessageStartingWith("study " + Fixtures.STUDY.value() + ": ")
                    .hasMessageContaining(base).hasCause(down);
        } finally {
            ehr.stop();
        }
    }
}
