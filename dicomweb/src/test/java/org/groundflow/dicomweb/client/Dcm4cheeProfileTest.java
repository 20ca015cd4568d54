package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.DicomWebStatusException;
import org.groundflow.dicomweb.Uid;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.groundflow.dicomweb.client.HttpStubs.json;
import static org.groundflow.dicomweb.client.HttpStubs.multipart;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/**
 * The dcm4chee-arc profile (no dcm4chee-arc here, so against scripted responses): its root path, the QIDO features
 * it has and Orthanc lacks, and reject.
 */
class Dcm4cheeProfileTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String ROOT = "/dcm4chee-arc/aets/DCM4CHEE/rs";
    private static final Uid STUDY = Uid.of("2.25.7");
    private static final Uid SERIES = Uid.of("2.25.8");
    private static final Uid INSTANCE = Uid.of("2.25.9");

    @TempDir
    Path temp;

    private static DicomWebClient dcm4chee() {
        return new DicomWebClient(DicomWebEndpoint.dcm4cheeArc(server.baseUrl() + "/", "DCM4CHEE"));
    }

    @Test
    void theRootIsTheArchiveAeTitlesRsPath() {
        DicomWebEndpoint endpoint = DicomWebEndpoint.dcm4cheeArc("https://pacs.example:8443", "DCM4CHEE");

        assertThat(endpoint.baseUri()).hasToString("https://pacs.example:8443/dcm4chee-arc/aets/DCM4CHEE/rs");
        assertThat(endpoint.profile()).isEqualTo(ServerProfile.DCM4CHEE_ARC);
        assertThat(ServerProfile.named("dcm4chee")).isEqualTo(ServerProfile.DCM4CHEE_ARC);
        assertThatThrownBy(() -> DicomWebEndpoint.dcm4cheeArc("https://pacs", "BAD\\AET"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aeTitle");
        assertThatThrownBy(() -> DicomWebEndpoint.dcm4cheeArc("https://pacs", "SEVENTEEN_CHARS_X"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1-16");
    }

    @Test
    void queriesUseIncludeFieldAllFuzzyAndSequenceMatchingUnderTheRoot() {
        server.stubFor(get(urlPathEqualTo(ROOT + "/studies")).willReturn(json(200, "[]")));

        try (DicomWebClient client = dcm4chee()) {
            client.searchStudies(QidoQuery.all().withAllFields().withFuzzyMatching().withMatch("PatientName", "doe")
                    .withMatch("RequestAttributesSequence.AccessionNumber", "A1"));
        }
        server.verify(getRequestedFor(urlPathEqualTo(ROOT + "/studies"))
                .withQueryParam("includefield", equalTo("all"))
                .withQueryParam("fuzzymatching", equalTo("true"))
                .withQueryParam("RequestAttributesSequence.AccessionNumber", equalTo("A1"))
                .withQueryParam("limit", equalTo("100")));
    }

    @Test
    void retrievalAndStorageUseTheSameRoot() {
        server.stubFor(get(urlPathEqualTo(ROOT + "/studies/" + STUDY + "/series/" + SERIES))
                .willReturn(multipart("application/dicom", "x".getBytes(StandardCharsets.US_ASCII))));

        try (DicomWebClient client = dcm4chee()) {
            assertThat(client.retrieveSeries(STUDY, SERIES, temp)).hasSize(1);
        }
    }

    @Test
    void rejectPostsTheReasonCodeAtEachLevelAndIsNeverRetried() {
        server.stubFor(post(urlPathEqualTo(ROOT + "/studies/" + STUDY + "/reject/113001%5EDCM"))
                .willReturn(aResponse().withStatus(204)));
        server.stubFor(post(urlPathEqualTo(ROOT + "/studies/" + STUDY + "/series/" + SERIES + "/reject/113039%5EDCM"))
                .willReturn(aResponse().withStatus(200).withBody("{\"count\":3}")));
        server.stubFor(post(urlPathEqualTo(ROOT + "/studies/" + STUDY + "/series/" + SERIES + "/instances/" + INSTANCE
                + "/reject/113037%5EDCM")).willReturn(aResponse().withStatus(503).withBody("archive busy")));

        try (DicomWebClient client = dcm4chee()) {
            client.rejectStudy(STUDY, RejectionReason.QUALITY);
            client.rejectSeries(STUDY, SERIES, RejectionReason.DATA_RETENTION_POLICY_EXPIRED);
            assertThatThrownBy(() -> client.rejectInstance(STUDY, SERIES, INSTANCE, RejectionReason.PATIENT_SAFETY))
                    .isInstanceOf(DicomWebStatusException.class)
                    .hasMessageContaining("HTTP 503")
                    .hasMessageContaining("/instances/" + INSTANCE + "/reject/113037%5EDCM")
                    .hasMessageContaining("archive busy");
        }
        server.verify(1, postRequestedFor(urlEqualTo(ROOT + "/studies/" + STUDY + "/reject/113001%5EDCM")));
        server.verify(1, postRequestedFor(urlPathEqualTo(ROOT + "/studies/" + STUDY + "/series/" + SERIES
                + "/instances/" + INSTANCE + "/reject/113037%5EDCM")));
    }

    @Test
    void orthancHasNoRejectAndNothingIsSent() {
        try (DicomWebClient orthanc = new DicomWebClient(DicomWebEndpoint.orthanc(server.baseUrl()))) {
            assertThatThrownBy(() -> orthanc.rejectStudy(STUDY, RejectionReason.QUALITY))
                    .isInstanceOf(UnsupportedByServerException.class)
                    .hasMessage("The orthanc server profile does not support reject");
        }
        server.verify(0, anyRequestedFor(anyUrl()));
    }
}
