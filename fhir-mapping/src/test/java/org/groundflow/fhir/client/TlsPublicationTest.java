package org.groundflow.fhir.client;

import org.groundflow.dicomweb.transport.TrustStore;
import org.groundflow.fhir.mapping.Fixtures;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https to a FHIR server whose certificate only a configured trust store vouches for (keytool makes both). Loading
 * trust stores on their own is tested with {@link TrustStore} in dicomweb.
 */
class TlsPublicationTest {

    @TempDir
    static Path dir;
    private static WireMockServer https;

    @BeforeAll
    static void serverWithASelfSignedCertificate() throws Exception {
        Path serverStore = dir.resolve("server.p12");
        Path certificate = dir.resolve("server.cer");
        keytool("-genkeypair", "-alias", "fhir", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-keystore", serverStore.toString(),
                "-storetype", "PKCS12", "-storepass", "server-pw", "-keypass", "server-pw");
        keytool("-exportcert", "-alias", "fhir", "-keystore", serverStore.toString(), "-storepass", "server-pw",
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "fhir", "-file", certificate.toString(), "-keystore",
                dir.resolve("trust.p12").toString(), "-storetype", "PKCS12", "-storepass", "trust-pw");
        https = new WireMockServer(wireMockConfig().httpDisabled(true).dynamicHttpsPort()
                .keystorePath(serverStore.toString()).keystorePassword("server-pw").keyManagerPassword("server-pw")
                .keystoreType("PKCS12"));
        https.start();
        https.stubFor(post("/fhir").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/fhir+json")
                .withBody(PublisherFaultTest.resource("transaction-response.json"))));
    }

    @AfterAll
    static void stop() {
        if (https != null) {
            https.stop();
        }
    }

    @Test
    void certificateFromTheTrustStoreIsAccepted() {
        FhirEndpoint endpoint = endpoint().withTrustStore(TrustStore.of(dir.resolve("trust.p12"), "trust-pw"));
        try (FhirPublisher publisher = new FhirPublisher(endpoint, Fixtures.mapper())) {
            assertThat(publisher.publish(Fixtures.request()).reportId()).isEqualTo("1009");
        }
    }

    @Test
    void untrustedCertificateIsAConfigurationFailureNotRetried() {
        try (FhirPublisher publisher = new FhirPublisher(endpoint(), Fixtures.mapper())) {
            var e = assertThrows(FhirAuthorizationException.class, () -> publisher.publish(Fixtures.request()));

            assertThat(e.status()).isZero();
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).contains("TLS handshake", "trust store");
        }
    }

    @Test
    void unreadableTrustStoreIsNamed() {
        FhirEndpoint endpoint = endpoint().withTrustStore(TrustStore.of(dir.resolve("trust.p12"), "wrong"));

        var e = assertThrows(IllegalArgumentException.class, () -> new FhirPublisher(endpoint, Fixtures.mapper()));

        assertThat(e).hasMessageStartingWith("trust store " + dir.resolve("trust.p12") + " cannot be loaded");
    }

    private static FhirEndpoint endpoint() {
        return FhirEndpoint.of("https://localhost:" + https.httpsPort() + "/fhir");
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }
}
