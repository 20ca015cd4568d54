package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.DicomWebTransportException;
import org.groundflow.dicomweb.transport.TrustStore;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;
import static org.groundflow.dicomweb.client.HttpStubs.json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;

import org.groundflow.dicomweb.testing.Keytool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * https with a trust store of our own: a server whose certificate is in it is reached, one whose is not fails with a
 * TLS error that names the URL and is not retried. The server's key pair is made with keytool; loading trust stores
 * on their own is {@code transport.TrustStoreTest}'s subject.
 */
class TlsTrustStoreTest {

    private static final String PASSWORD = "changeit-test";
    private static Path directory;
    private static Path trustStore;
    private static WireMockServer server;

    @BeforeAll
    static void startHttpsServer() throws Exception {
        directory = Files.createTempDirectory("groundflow-tls-");
        Path serverKeys = directory.resolve("server.p12");
        trustStore = directory.resolve("trust.p12");
        Keytool.run("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-keystore", serverKeys.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        // the trust store holds only the server's certificate (what keytool -exportcert/-importcert would do)
        KeyStore keys = KeyStore.getInstance(serverKeys.toFile(), PASSWORD.toCharArray());
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", keys.getCertificate("server"));
        try (var out = Files.newOutputStream(trustStore)) {
            trusted.store(out, PASSWORD.toCharArray());
        }
        server = new WireMockServer(wireMockConfig().dynamicPort().dynamicHttpsPort()
                .keystorePath(serverKeys.toString()).keystoreType("PKCS12")
                .keystorePassword(PASSWORD).keyManagerPassword(PASSWORD));
        server.start();
        server.stubFor(get(urlPathEqualTo("/dicom-web/studies")).willReturn(json(200, "[]")));
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.stop();
        }
        if (directory != null) {
            try (var files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(directory);
        }
    }

    private static String httpsRoot() {
        return "https://localhost:" + server.httpsPort() + "/dicom-web";
    }

    @Test
    void aServerWhoseCertificateIsInTheTrustStoreIsReached() {
        try (DicomWebClient client = new DicomWebClient(DicomWebEndpoint.of(httpsRoot()).withTrustStore(TrustStore.of(trustStore, PASSWORD)))) {
            assertThat(client.searchStudies(QidoQuery.all())).isEmpty();
        }
    }

    @Test
    void anUntrustedServerFailsWithATlsErrorAndIsNotRetried() {
        server.resetRequests();
        try (DicomWebClient client = new DicomWebClient(DicomWebEndpoint.of(httpsRoot()))) {
            assertThatThrownBy(() -> client.searchStudies(QidoQuery.all()))
                    .asInstanceOf(type(DicomWebTransportException.class))
                    .satisfies(e -> {
                        assertThat(e.getMessage()).startsWith("Transport failure on " + httpsRoot() + "/studies: TLS handshake failed");
                        assertThat(e.getMessage()).contains("trust store");
                        assertThat(e.isRetryable()).isFalse();
                        assertThat(e.getSuppressed()).isEmpty();
                    });
        }
        server.verify(0, getRequestedFor(urlPathEqualTo("/dicom-web/studies")));
    }

    @Test
    void aTrustStoreThatCannotBeLoadedStopsTheClientBeingMade() {
        DicomWebEndpoint wrongPassword = DicomWebEndpoint.of(httpsRoot()).withTrustStore(TrustStore.of(trustStore, "wrong"));

        assertThatThrownBy(() -> new DicomWebClient(wrongPassword))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trust store " + trustStore + " cannot be loaded");
    }
}
