package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.DicomWebStatusException;
import org.groundflow.dicomweb.DicomWebTransportException;
import org.groundflow.dicomweb.Uid;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;
import static org.groundflow.dicomweb.client.HttpStubs.json;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.testing.DemoStudyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/**
 * What the client repeats on its own: a refused connection, once, and nothing else. A 503 (even with Retry-After), a
 * timeout or a connection dropped mid-answer costs one request and is left to the caller's retry policy.
 */
class RepeatedRequestsTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final Uid STUDY = SyntheticStudy.STUDY_INSTANCE_UID;
    private static final String STUDIES = "/dicom-web/studies";

    @Test
    void aRefusedConnectionIsTriedExactlyOnceMore() throws Exception {
        try (DicomWebClient nowhere = new DicomWebClient(DicomWebEndpoint.of(closedPortUrl()))) {
            assertThatThrownBy(() -> nowhere.searchSeries(STUDY))
                    .asInstanceOf(type(DicomWebTransportException.class))
                    .satisfies(e -> {
                        assertThat(e.isTimeout()).isFalse();
                        assertThat(e.getCause()).isInstanceOf(ConnectException.class);
                        assertThat(e.getSuppressed()).singleElement()
                                .isInstanceOf(DicomWebTransportException.class)
                                .extracting(Throwable::getCause).isInstanceOf(ConnectException.class);
                    });
        }
    }

    @Test
    void aRefusedConnectionOfAStoreIsAlsoTriedOnceMoreForNothingWasSent() throws Exception {
        try (DicomWebClient nowhere = new DicomWebClient(DicomWebEndpoint.of(closedPortUrl()))) {
            assertThatThrownBy(() -> nowhere.store(DemoStudyFiles.get().subList(0, 1)))
                    .asInstanceOf(type(DicomWebTransportException.class))
                    .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
        }
    }

    @Test
    void a503IsNotRetriedEvenWithRetryAfter() {
        server.stubFor(get(urlPathEqualTo(STUDIES)).willReturn(aResponse().withStatus(503)
                .withHeader("Retry-After", "30").withBody("down for maintenance")));

        try (DicomWebClient client = client(DicomWebEndpoint.of(server.baseUrl() + "/dicom-web"))) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> client.searchStudies(QidoQuery.all()))
                    .asInstanceOf(type(DicomWebStatusException.class))
                    .satisfies(e -> {
                        assertThat(e.status()).isEqualTo(503);
                        assertThat(e.isTransient()).isTrue();
                        assertThat(e.getSuppressed()).isEmpty();
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
        server.verify(1, getRequestedFor(urlPathEqualTo(STUDIES)));
    }

    @Test
    void aTimeoutIsNotRetried() {
        server.stubFor(get(urlPathEqualTo(STUDIES)).willReturn(json(200, "[]").withFixedDelay(1500)));

        try (DicomWebClient impatient = client(DicomWebEndpoint.of(server.baseUrl() + "/dicom-web")
                .withReadTimeout(Duration.ofMillis(200)))) {
            assertThatThrownBy(() -> impatient.searchStudies(QidoQuery.all()))
                    .asInstanceOf(type(DicomWebTransportException.class))
                    .satisfies(e -> {
                        assertThat(e.isTimeout()).isTrue();
                        assertThat(e.getSuppressed()).isEmpty();
                    });
        }
        server.verify(1, getRequestedFor(urlPathEqualTo(STUDIES)));
    }

    @Test
    void aConnectionResetWhileReadingIsNotRetried() {
        server.stubFor(get(urlPathEqualTo(STUDIES)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        try (DicomWebClient client = client(DicomWebEndpoint.of(server.baseUrl() + "/dicom-web"))) {
            assertThatThrownBy(() -> client.searchStudies(QidoQuery.all()))
                    .asInstanceOf(type(DicomWebTransportException.class))
                    .satisfies(e -> assertThat(e.getSuppressed()).isEmpty());
        }
        server.verify(1, getRequestedFor(urlPathEqualTo(STUDIES)));
    }

    private static DicomWebClient client(DicomWebEndpoint endpoint) {
        return new DicomWebClient(endpoint);
    }

    /** A loopback port nothing listens on: connecting to it is refused at once. */
    private static String closedPortUrl() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return "http://127.0.0.1:" + port + "/dicom-web";
    }
}
