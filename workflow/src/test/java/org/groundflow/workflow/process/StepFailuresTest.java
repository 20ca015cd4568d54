package org.groundflow.workflow.process;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchRuntimeException;

import com.github.tomakehurst.wiremock.WireMockServer;
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
}
