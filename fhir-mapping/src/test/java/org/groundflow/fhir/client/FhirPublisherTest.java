package org.groundflow.fhir.client;

import org.groundflow.fhir.mapping.Fixtures;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ca.uhn.fhir.context.FhirContext;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FhirPublisherTest {

    private static final String FHIR_JSON = "application/fhir+json;charset=UTF-8";
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
    void postsTheTransactionAndReturnsTheReportIdFromTheResponse() {
        answer(200, "transaction-response.json");
        publisher = publisher(endpoint().withBearerToken(TOKEN));

        PublishedReport published = publisher.publish(Fixtures.request());

        assertThat(published).isEqualTo(new PublishedReport(Fixtures.READ_ID, "1009", "1"));
        assertThat(published.reference()).isEqualTo("DiagnosticReport/1009");
        server.verify(1, postRequestedFor(urlEqualTo("/fhir"))
                .withHeader("Content-Type", containing("application/fhir+json"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(matchingJsonPath("$.resourceType", equalTo("Bundle")))
                .withRequestBody(matchingJsonPath("$.type", equalTo("transaction")))
                .withRequestBody(matchingJsonPath("$.entry[8].request.url",
                        equalTo("DiagnosticReport?identifier=urn:groundflow:read|" + Fixtures.READ_ID)))
                .withRequestBody(matchingJsonPath("$.entry[8].resource.status", equalTo("final"))));
        LoggedRequest sent = server.getAllServeEvents().get(0).getRequest();
        assertThat(sent.getBodyAsString()).contains("\"entry\"");
        assertThat(count(sent.getBodyAsString(), "\"request\"")).isEqualTo(10);
    }

    @Test
    void sendsNoAuthorizationWithoutAToken() {
        answer(200, "transaction-response.json");
        publisher = publisher(endpoint());

        publisher.publish(Fixtures.request());

        server.verify(postRequestedFor(urlEqualTo("/fhir")).withHeader("Authorization", absent()));
    }

    @Test
    void serverErrorIsRetryableWithStatusAndKeepsPatientDataOutOfTheMessage() {
        answer(500, "operation-outcome-500.json");
        publisher = publisher(endpoint());

        var e = assertThrows(FhirUnavailableException.class, () -> publisher.publish(Fixtures.request()));

        assertThat(e.status()).isEqualTo(500);
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).isEqualTo("the transaction of read " + Fixtures.READ_ID + " to FHIR server "
                + endpoint().baseUrl() + " failed with HTTP 500").doesNotContain(Fixtures.PATIENT_ID);
        assertThat(e.serverMessage()).contains("database unavailable");
        assertThat(e.getCause()).isNull();
    }

    @Test
    void unauthorizedIsAnAuthorizationErrorNotRetryable() {
        answer(401, "operation-outcome-401.json");
        publisher = publisher(endpoint().withBearerToken(TOKEN));

        var e = assertThrows(FhirAuthorizationException.class, () -> publisher.publish(Fixtures.request()));

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).endsWith("failed with HTTP 401 (credentials refused)").doesNotContain(TOKEN);
        assertThat(e.serverMessage()).contains("Invalid or expired bearer token");
    }

    @Test
    void forbiddenIsAnAuthorizationError() {
        server.stubFor(post("/fhir").willReturn(aResponse().withStatus(403)));
        publisher = publisher(endpoint());

        var e = assertThrows(FhirAuthorizationException.class, () -> publisher.publish(Fixtures.request()));

        assertThat(e.status()).isEqualTo(403);
    }

    @Test
    void otherClientErrorsAreRejectionsAndTooManyRequestsIsRetryable() {
        publisher = publisher(endpoint());
        for (int status : new int[] {400, 404, 422}) {
            server.stubFor(post("/fhir").willReturn(aResponse().withStatus(status)));
            var e = assertThrows(FhirRejectedException.class, () -> publisher.publish(Fixtures.request()));
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.retryable()).isFalse();
        }
        server.stubFor(post("/fhir").willReturn(aResponse().withStatus(429)));
        assertThat(assertThrows(FhirUnavailableException.class, () -> publisher.publish(Fixtures.request())).status())
                .isEqualTo(429);
    }

    @Test
    void timeoutIsRetryableWithoutStatusAndIsNotRetriedByTheClient() {
        server.stubFor(post("/fhir").willReturn(aResponse().withFixedDelay(2_000).withStatus(200)
                .withHeader("Content-Type", FHIR_JSON).withBody(resource("transaction-response.json"))));
        publisher = publisher(endpoint().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(200)));

        var e = assertThrows(FhirUnavailableException.class, () -> publisher.publish(Fixtures.request()));

        assertThat(e.status()).isZero();
        assertThat(e.retryable()).isTrue();
        assertThat(e.getCause()).isInstanceOf(java.net.SocketTimeoutException.class);
        server.verify(1, postRequestedFor(urlEqualTo("/fhir")));
    }

    @Test
    void refusedConnectionIsRetryableWithoutStatus() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        publisher = publisher(FhirEndpoint.of("http://localhost:" + closedPort + "/fhir"));

        var e = assertThrows(FhirUnavailableException.class, () -> publisher.publish(Fixtures.request()));

        assertThat(e.status()).isZero();
        assertThat(e.getCause()).isInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void responseWithoutTheReportEntryIsAProtocolError() {
        answer(200, "transaction-response-short.json");
        publisher = publisher(endpoint());

        var e = assertThrows(FhirProtocolException.class, () -> publisher.publish(Fixtures.request()));

        assertThat(e.getMessage()).endsWith("but the transaction-response has 3 entries for 10 sent");
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void nonFhirAnswerIsAProtocolError() {
        server.stubFor(post("/fhir").willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html")
                .withBody("<html><body>Login</body></html>")));
        publisher = publisher(endpoint());

        var e = assertThrows(FhirProtocolException.class, () -> publisher.publish(Fixtures.request()));

        assertThat(e.status()).isEqualTo(200);
    }

    @Test
    void reportVersionFallsBackToTheEtag() {
        assertThat(TransactionResponses.etagVersion("W/\"3\"")).isEqualTo("3");
        assertThat(TransactionResponses.etagVersion("\"4\"")).isEqualTo("4");
        assertThat(TransactionResponses.etagVersion(null)).isNull();
    }

    @Test
    void sameReadPublishedTwiceSendsTheSameBundle() {
        answer(200, "transaction-response.json");
        publisher = publisher(endpoint());

        publisher.publish(Fixtures.request());
        publisher.publish(Fixtures.request());

        List<String> bodies = server.getAllServeEvents().stream().map(e -> e.getRequest().getBodyAsString()).toList();
        assertThat(bodies).hasSize(2);
        assertThat(bodies.get(0)).isEqualTo(bodies.get(1));
    }

    @Test
    void sendsTheBundleAsCompactJsonToTheBaseUrlItself() {
        answer(200, "transaction-response.json");
        publisher = publisher(endpoint());

        publisher.publish(Fixtures.request());

        server.verify(1, postRequestedFor(urlEqualTo("/fhir")));
        assertThat(server.getAllServeEvents().get(0).getRequest().getBodyAsString()).isEqualTo(FhirContext.forR4Cached()
                .newJsonParser().encodeResourceToString(Fixtures.mapper().toBundle(Fixtures.request())));
    }

    private FhirEndpoint endpoint() {
        return FhirEndpoint.of(server.baseUrl() + "/fhir");
    }

    private static FhirPublisher publisher(FhirEndpoint endpoint) {
        return new FhirPublisher(endpoint, Fixtures.mapper());
    }

    private static void answer(int status, String resource) {
        server.stubFor(post("/fhir").willReturn(aResponse().withStatus(status).withHeader("Content-Type", FHIR_JSON)
                .withBody(resource(resource))));
    }

    private static String resource(String name) {
        try (InputStream in = FhirPublisherTest.class.getResourceAsStream("/fhir/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource /fhir/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
