package org.groundflow.fhirserver;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Duration;
import java.util.List;
import org.groundflow.fhir.client.FhirEndpoint;
import org.groundflow.fhir.client.FhirPublisher;
import org.groundflow.fhir.client.FhirUnavailableException;
import org.groundflow.fhir.mapping.Fixtures;
import org.groundflow.fhir.client.PublishedReport;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Faults between Groundflow and a real FHIR server (WireMock as a proxy in front of it): whatever failed, once the
 * fault clears, the read is on the server exactly once. The hard case is the lost answer: the server committed the
 * transaction, but the answer never reached Groundflow, which has to try again without knowing.
 */
@ExtendWith(SandboxServer.Extension.class)
class FaultRecoveryTest {

    private WireMockServer proxy;
    private String upstream;
    private ServerQueries server;

    @BeforeEach
    void proxyInFrontOf(SandboxServer server) {
        upstream = server.baseUrl().substring(0, server.baseUrl().length() - "/fhir".length());
        proxy = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        proxy.start();
        this.server = ServerQueries.of(server);
    }

    @AfterEach
    void stop() {
        proxy.stop();
    }

    @Test
    void answerLostAfterTheServerCommittedThenTheRetriedIncidentPublishesExactlyOnce() throws Exception {
        String read = "it-lost-answer";
        proxy.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(upstream).withFixedDelay(4_000)));
        FhirEndpoint throughProxy = FhirEndpoint.of(proxy.baseUrl() + "/fhir")
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(1_500));

        try (FhirPublisher publisher = new FhirPublisher(throughProxy, Fixtures.mapper())) {
            var e = assertThrows(FhirUnavailableException.class, () -> publisher.publish(Fixtures.request(read)));
            assertThat(e.retryable()).isTrue();
            assertThat(awaitReports(read, 1)).as("the server committed what the client never heard of").hasSize(1);

            proxy.resetAll(); // the fault clears
            proxy.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(upstream)));
            PublishedReport published = publisher.publish(Fixtures.request(read));

            assertThat(published.versionId()).isEqualTo("1");
        }
        assertThat(server.reports(read)).singleElement()
                .satisfies(r -> assertThat(r.getIdElement().getVersionIdPart()).isEqualTo("1"));
        assertThat(server.observations(read)).hasSize(2);
    }

    @Test
    void serverErrorsThenSuccessAsTheEngineRetriesLeaveOneReport() {
        String read = "it-retried";
        proxy.stubFor(post("/fhir").inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("timeout"));
        proxy.stubFor(post("/fhir").inScenario("flaky").whenScenarioStateIs("timeout")
                .willReturn(aResponse().proxiedFrom(upstream).withFixedDelay(3_000)).willSetStateTo("healthy"));
        proxy.stubFor(post("/fhir").inScenario("flaky").whenScenarioStateIs("healthy")
                .willReturn(aResponse().proxiedFrom(upstream)));
        FhirEndpoint throughProxy = FhirEndpoint.of(proxy.baseUrl() + "/fhir")
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(1_000));

        try (FhirPublisher publisher = new FhirPublisher(throughProxy, Fixtures.mapper())) {
            // the process engine's retry cycle: each failed try is retryable and the step runs again
            for (int failedTry = 1; failedTry <= 2; failedTry++) {
                var e = assertThrows(FhirUnavailableException.class, () -> publisher.publish(Fixtures.request(read)));
                assertThat(e.retryable()).isTrue();
            }
            PublishedReport published = publisher.publish(Fixtures.request(read));
            assertThat(published.versionId()).isEqualTo("1");
        }

        proxy.verify(3, postRequestedFor(urlEqualTo("/fhir")));
        List<DiagnosticReport> reports = server.reports(read);
        assertThat(reports).singleElement().satisfies(r -> assertThat(r.getIdElement().getVersionIdPart()).isEqualTo("1"));
        assertThat(server.observations(read)).extracting(Observation::getStatus)
                .containsOnly(Observation.ObservationStatus.FINAL).hasSize(2);
    }

    /** The reports of a read once there are {@code count} of them (the proxy may still be forwarding), or after 10 s. */
    private List<DiagnosticReport> awaitReports(String read, int count) throws InterruptedException {
        List<DiagnosticReport> reports = List.of();
        for (int i = 0; i < 100; i++) {
            reports = server.reports(read);
            if (reports.size() >= count) {
                break;
            }
            Thread.sleep(100);
        }
        return reports;
    }
}
