package org.groundflow.fhir.client;

import org.groundflow.fhir.mapping.Fixtures;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** SMART Backend Services: the signed client assertion, the token kept until it expires, and refusals. */
class SmartBackendServicesTest {

    private static final String FHIR_JSON = "application/fhir+json;charset=UTF-8";
    private static final String CLIENT = "groundflow-publisher";
    private static final String SCOPE = "system/DiagnosticReport.cu system/Observation.cu";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static KeyPair rsa;
    private static KeyPair ec;

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final MutableClock clock = new MutableClock(Instant.parse("2024-03-16T09:30:00Z"));
    private FhirPublisher publisher;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
        rsaGenerator.initialize(2048);
        rsa = rsaGenerator.generateKeyPair();
        KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
        ecGenerator.initialize(new ECGenParameterSpec("secp384r1"));
        ec = ecGenerator.generateKeyPair();
    }

    @AfterEach
    void close() {
        if (publisher != null) {
            publisher.close();
        }
    }

    @Test
    void getsATokenWithASignedAssertionAndSendsItWithTheTransaction() throws Exception {
        tokenEndpointAnswers("tok-1", 300);
        fhirAnswers(200);
        publisher = publisher(credentials(rsa));

        publisher.publish(Fixtures.request());

        server.verify(1, postRequestedFor(urlEqualTo("/fhir")).withHeader("Authorization", equalTo("Bearer tok-1")));
        Map<String, String> form = tokenRequestForm();
        assertThat(form).containsEntry("grant_type", "client_credentials").containsEntry("scope", SCOPE)
                .containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        String[] jwt = form.get("client_assertion").split("\\.");
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(jwt[0]));
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
        assertThat(header.path("alg").asText()).isEqualTo("RS384");
        assertThat(header.path("kid").asText()).isEqualTo("key-1");
        assertThat(claims.path("iss").asText()).isEqualTo(CLIENT);
        assertThat(claims.path("sub").asText()).isEqualTo(CLIENT);
        assertThat(claims.path("aud").asText()).isEqualTo(tokenUrl());
        assertThat(claims.path("jti").asText()).isNotBlank();
        assertThat(claims.path("exp").asLong() - clock.instant().getEpochSecond()).isBetween(1L, 300L);
        assertThat(verifies("SHA384withRSA", rsa.getPublic(), jwt)).isTrue();
    }

    @Test
    void ecKeySignsWithEs384() throws Exception {
        tokenEndpointAnswers("tok-ec", 300);
        fhirAnswers(200);
        publisher = publisher(credentials(ec));

        publisher.publish(Fixtures.request());

        String[] jwt = tokenRequestForm().get("client_assertion").split("\\.");
        assertThat(JSON.readTree(Base64.getUrlDecoder().decode(jwt[0])).path("alg").asText()).isEqualTo("ES384");
        assertThat(verifies("SHA384withECDSAinP1363Format", ec.getPublic(), jwt)).isTrue();
    }

    @Test
    void tokenIsKeptUntilShortlyBeforeItExpires() {
        tokenEndpointAnswers("tok-1", 300);
        fhirAnswers(200);
        publisher = publisher(credentials(rsa));

        publisher.publish(Fixtures.request());
        clock.advance(Duration.ofSeconds(200));
        publisher.publish(Fixtures.request());
        server.verify(1, postRequestedFor(urlEqualTo("/token")));

        clock.advance(Duration.ofSeconds(80)); // 280 s: within the last 30 s of the token's life
        publisher.publish(Fixtures.request());
        server.verify(2, postRequestedFor(urlEqualTo("/token")));
    }

    @Test
    void refusedTokenIsRenewedOnceThenTheRefusalStands() {
        tokenEndpointAnswers("tok-1", 300);
        fhirAnswers(401);
        publisher = publisher(credentials(rsa));

        var e = assertThrows(FhirAuthorizationException.class, () -> publisher.publish(Fixtures.request()));

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getSuppressed()).hasSize(1);
        server.verify(2, postRequestedFor(urlEqualTo("/token")));
        server.verify(2, postRequestedFor(urlEqualTo("/fhir")));
    }

    @Test
    void tokenEndpointRefusingTheClientIsAnAuthorizationFailureAndNothingIsSent() {
        server.stubFor(post("/token").willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_client\",\"error_description\":\"unknown kid\"}")));
        publisher = publisher(credentials(rsa));

        var e = assertThrows(FhirAuthorizationException.class, () -> publisher.publish(Fixtures.request()));

        assertThat(e.getMessage()).contains("SMART token request of client " + CLIENT, "credentials refused");
        assertThat(e.serverMessage()).isEqualTo("invalid_client: unknown kid");
        server.verify(0, postRequestedFor(urlEqualTo("/fhir")));
    }

    @Test
    void tokenEndpointDownIsRetryable() {
        server.stubFor(post("/token").willReturn(aResponse().withStatus(503)));
        publisher = publisher(credentials(rsa));

        assertThat(assertThrows(FhirUnavailableException.class, () -> publisher.publish(Fixtures.request())).retryable())
                .isTrue();
    }

    @Test
    void credentialsAreCheckedAndNeverShown(@TempDir Path dir) throws Exception {
        SmartBackendServices credentials = credentials(rsa);
        assertThat(credentials.toString()).doesNotContain(Base64.getEncoder().encodeToString(rsa.getPrivate().getEncoded())
                .substring(0, 40)).contains("RS384");
        assertThat(FhirEndpoint.of("https://ehr.example/fhir").withSmartBackendServices(credentials).toString())
                .contains("smart(" + CLIENT);
        var both = assertThrows(IllegalArgumentException.class, () -> new FhirEndpoint("https://ehr.example/fhir", "t",
                credentials, null, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertThat(both).hasMessage("exactly one of bearerToken and smart may be set, got both");

        Path pem = dir.resolve("key.pem");
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(ec.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        assertThat(SmartBackendServices.readPkcs8Pem(pem)).isEqualTo(ec.getPrivate());
    }

    private SmartBackendServices credentials(KeyPair keys) {
        return new SmartBackendServices(tokenUrl(), CLIENT, keys.getPrivate(), "key-1", SCOPE);
    }

    private FhirPublisher publisher(SmartBackendServices credentials) {
        FhirEndpoint endpoint = FhirEndpoint.of(server.baseUrl() + "/fhir").withSmartBackendServices(credentials);
        return new FhirPublisher(endpoint, Fixtures.mapper(), null, clock);
    }

    private static String tokenUrl() {
        return server.baseUrl() + "/token";
    }

    private static void tokenEndpointAnswers(String token, int expiresIn) {
        server.stubFor(post("/token").willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"" + token + "\",\"token_type\":\"bearer\",\"expires_in\":" + expiresIn
                        + ",\"scope\":\"" + SCOPE + "\"}")));
    }

    private static void fhirAnswers(int status) {
        server.stubFor(post("/fhir").willReturn(aResponse().withStatus(status).withHeader("Content-Type", FHIR_JSON)
                .withBody(status == 200 ? PublisherFaultTest.resource("transaction-response.json")
                        : PublisherFaultTest.resource("operation-outcome-401.json"))));
    }

    private static Map<String, String> tokenRequestForm() {
        String body = server.findAll(postRequestedFor(urlEqualTo("/token"))).get(0).getBodyAsString();
        return Arrays.stream(body.split("&")).map(p -> p.split("=", 2)).collect(Collectors.toMap(
                p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
    }

    private static boolean verifies(String algorithm, PublicKey key, String[] jwt) throws Exception {
        Signature signature = Signature.getInstance(algorithm);
        signature.initVerify(key);
        signature.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        return signature.verify(Base64.getUrlDecoder().decode(jwt[2]));
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
