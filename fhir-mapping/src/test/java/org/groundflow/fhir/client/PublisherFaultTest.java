package org.groundflow.fhir.client;

import org.groundflow.fhir.mapping.Fixtures;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults of the FHIR server, injected with WireMock: each is one typed failure that says whether trying again may help
 * (the process engine's retry cycle tries again, not the publisher); only a refused connection is tried once more
 * here. A publication retried after a fault sends the same idempotent bundle, so the server ends with one report.
 */
class PublisherFaultTest {

    private static final String FHIR_JSON = "application/fhir+json;charset=UTF-8";

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
    void aServerErrorIsOneRetryableFailureNotTriedAgainEvenWithRetryAfter() {
        server.stubFor(post("/fhir").willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1")));
        publisher = publisher(endpoint());

        var e = assertThrows(FhirUnavailableException.class, () -> publisher.publish(Fixtures.request()));

        assertThat(e.status()).isEqualTo(503);
        assertThat(e.retryable()).isTrue();
        assertThat(e.getSuppressed()).isEmpty();
        server.verify(1, postRequestedFor(urlEqualTo("/fhir")));
    }

    @Test
    void aTimeoutIsNotTriedAgain() {
        server.stubFor(post("/fhir").willReturn(ok().withFixedDelay(1_500)));
        publisher = publisher(endpoint().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300)));

        var e = assertThrows(FhirUnavailableException.class, () -> publisher.publish(Fixtures.request()));

        assertThat(e.status()).isZero();
        assertThat(e.retryable()).isTrue();
        server.verify(1, postRequestedFor(urlEqualTo("/fhir")));
    }

    @Test
    void aRefusedConnectionIsTriedExactlyOnceMore() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        publisher = publisher(FhirEndpoint.of("http://127.0.0.1:" + closedPort + "/fhir"));

        var e = assertThrows(FhirUnavailableException.class, () -> publisher.publish(Fixtures.request()));

        assertThat(e.status()).isZero();
        assertThat(e.getCause()).isInstanceOf(ConnectException.class);
        assertThat(e.getSuppressed()).singleElement().isInstanceOf(FhirUnavailableException.class)
                .extracting(Throwable::getCause).isInstanceOf(ConnectException.class);
    }

    @Test
    void refusedCredentialsAreNeverTriedAgain() {
        for (int status : new int[] {401, 403}) {
            server.resetAll();
            server.stubFor(post("/fhir").willReturn(aResponse().withStatus(status)));
            publisher = publisher(endpoint().withBearerToken("t0ken"));

            var e = assertThrows(FhirAuthorizationException.class, () -> publisher.publish(Fixtures.request()));

            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).contains("HTTP " + status).doesNotContain("t0ken");
            server.verify(1, postRequestedFor(urlEqualTo("/fhir")));
            publisher.close();
        }
    }

    @Test
    void aConcurrentChangeConflictIsRetryableButDuplicateIdentifiersAreNot() {
        server.stubFor(post("/fhir").willReturn(aResponse().withStatus(409)));
        publisher = publisher(endpoint());
        var concurrent = assertThrows(FhirConflictException.class, () -> publisher.publish(Fixtures.request()));
        assertThat(concurrent.retryable()).isTrue();
        server.verify(1, postRequestedFor(urlEqualTo("/fhir")));

        server.resetAll();
        server.stubFor(post("/fhir").willReturn(aResponse().withStatus(412).withHeader("Content-Type", FHIR_JSON)
                .withBody("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":"
                        + "\"duplicate\",\"diagnostics\":\"HAPI-0988: multiple matches\"}]}")));
        var e = assertThrows(FhirConflictException.class, () -> publisher.publish(Fixtures.request()));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("HTTP 412", "duplicates");
        assertThat(e.serverMessage()).contains("multiple matches");
        server.verify(1, postRequestedFor(urlEqualTo("/fhir")));
    }

    @Test
    void malformedOperationOutcomeStillGivesATypedFailureWithTheRawText() {
        server.stubFor(post("/fhir").willReturn(aResponse().withStatus(500).withHeader("Content-Type", FHIR_JSON)
                .withBody("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":")));
        publisher = publisher(endpoint());

        var e = assertThrows(FhirUnavailableException.class, () -> publisher.publish(Fixtures.request()));
        assertThat(e.status()).isEqualTo(500);

        server.stubFor(post("/fhir").willReturn(aResponse().withStatus(400).withHeader("Content-Type", FHIR_JSON)
                .withBody("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"sometimes\"}]}")));
        var rejected = assertThrows(FhirRejectedException.class, () -> publisher.publish(Fixtures.request()));
        assertThat(rejected.status()).isEqualTo(400);

        server.stubFor(post("/fhir").willReturn(aResponse().withStatus(200).withHeader("Content-Type", FHIR_JSON)
                .withBody("{\"resourceType\":\"Bundle\",\"type\":\"transaction-response\",\"entry\":[")));
        assertThat(assertThrows(FhirProtocolException.class, () -> publisher.publish(Fixtures.request())).retryable())
                .isFalse();
    }

    @Test
    void serverThatAppliesOnlyPartOfTheBundleIsCaughtAndSayWhetherTryingAgainHelps() {
        server.stubFor(post("/fhir").willReturn(answer("batch-response-partial.json")));
        publisher = publisher(endpoint());

        var e = assertThrows(FhirIncompleteException.class, () -> publisher.publish(Fixtures.request()));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("1 of 10 entries failed", "entry 7 (Observation): 500 Internal Server Error")
                .doesNotContain(Fixtures.PATIENT_ID);

        server.stubFor(post("/fhir").willReturn(answer("batch-response-rejected-entry.json")));
        var rejected = assertThrows(FhirIncompleteException.class, () -> publisher.publish(Fixtures.request()));
        assertThat(rejected.retryable()).isFalse();
        assertThat(rejected.getMessage()).contains("entry 7 (Observation): 422 Unprocessable Entity");
    }

    @Test
    void afterTheFaultClearsTheRetriedPublicationSendsTheSameBundleOnce() {
        // the process engine's view: the first publication fails (incident), the retried incident succeeds
        inSequence(aResponse().withStatus(503), ok());
        publisher = publisher(endpoint());

        assertThrows(FhirUnavailableException.class, () -> publisher.publish(Fixtures.request()));
        PublishedReport published = publisher.publish(Fixtures.request());

        assertThat(published.reportId()).isEqualTo("1009");
        server.verify(2, postRequestedFor(urlEqualTo("/fhir")));
        List<String> bodies = bodies();
        assertThat(bodies.get(1)).isEqualTo(bodies.get(0));
        assertThat(bodies.get(0)).contains("\"ifNoneExist\"", "DiagnosticReport?identifier=");
    }

    private void inSequence(ResponseDefinitionBuilder... answers) {
        String state = STARTED;
        for (int i = 0; i < answers.length; i++) {
            String next = "answer " + (i + 1);
            var stub = post("/fhir").inScenario("faults").whenScenarioStateIs(state).willReturn(answers[i]);
            server.stubFor(i < answers.length - 1 ? stub.willSetStateTo(next) : stub);
            state = next;
        }
    }

    private static ResponseDefinitionBuilder ok() {
        return answer("transaction-response.json");
    }

    private static ResponseDefinitionBuilder answer(String resource) {
        return aResponse().withStatus(200).withHeader("Content-Type", FHIR_JSON).withBody(resource(resource));
    }

    private List<String> bodies() {
        List<String> bodies = new ArrayList<>(server.getAllServeEvents().stream()
                .map(e -> e.getRequest().getBodyAsString()).toList());
        java.util.Collections.reverse(bodies); // WireMock lists the latest first
        return bodies;
    }

    private FhirEndpoint endpoint() {
        return FhirEndpoint.of(server.baseUrl() + "/fhir");
    }

    private FhirPublisher publisher(FhirEndpoint endpoint) {
        return new FhirPublisher(endpoint, Fixtures.mapper(), null, Clock.systemUTC());
    }

    static String resource(String name) {
        try (InputStream in = PublisherFaultTest.class.getResourceAsStream("/fhir/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource /fhir/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
