package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.DicomWebException;
import org.groundflow.dicomweb.DicomWebResponseException;
import org.groundflow.dicomweb.DicomWebStatusException;
import org.groundflow.dicomweb.DicomWebTransportException;
import org.groundflow.dicomweb.Uid;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.testing.DemoStudyFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/** The client's HTTP behaviour against scripted responses: status mapping, media types, STOW outcomes. */
class DicomWebClientTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final Uid STUDY = SyntheticStudy.STUDY_INSTANCE_UID;
    private static final Uid SERIES = SyntheticStudy.SERIES_INSTANCE_UID;
    private static final String STUDIES = "/dicom-web/studies";
    private static final String SERIES_PATH = STUDIES + "/" + STUDY + "/series/" + SERIES;
    private static final String STUDY_JSON = "[{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"" + STUDY + "\"]},"
            + "\"00080020\":{\"vr\":\"DA\",\"Value\":[\"20240611\"]},"
            + "\"00080050\":{\"vr\":\"SH\",\"Value\":[\"GFDEMO0001\"]},"
            + "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Groundflow^Demo\"}]},"
            + "\"00080061\":{\"vr\":\"CS\",\"Value\":[\"CT\",\"SEG\"]},"
            + "\"00201208\":{\"vr\":\"IS\",\"Value\":[49]}}]";

    @TempDir
    Path temp;

    private DicomWebClient client;

    @BeforeEach
    void createClient() {
        client = new DicomWebClient(endpoint());
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    private static DicomWebEndpoint endpoint() {
        return DicomWebEndpoint.of(server.baseUrl() + "/dicom-web/");
    }

    @Test
    void searchStudiesReadsDicomJsonAndSendsTheMatchKeys() {
        server.stubFor(get(urlPathEqualTo(STUDIES)).willReturn(json(200, STUDY_JSON)));

        List<StudyRecord> studies = client.searchStudies(Map.of("AccessionNumber", "GFDEMO0001"));

        assertThat(studies).singleElement().satisfies(study -> {
            assertThat(study.studyInstanceUid()).isEqualTo(STUDY);
            assertThat(study.studyDate()).hasValueSatisfying(d -> assertThat(d).hasYear(2024).hasMonthValue(6).hasDayOfMonth(11));
            assertThat(study.modalitiesInStudy()).containsExactly("CT", "SEG");
            assertThat(study.numberOfStudyRelatedInstances()).hasValue(49);
            assertThat(study.toString()).doesNotContain("Groundflow^Demo");
        });
        server.verify(getRequestedFor(urlPathEqualTo(STUDIES))
                .withQueryParam("AccessionNumber", equalTo("GFDEMO0001"))
                .withQueryParam("includefield", equalTo("00080061"))
                .withHeader("Accept", equalTo("application/dicom+json")));
    }

    @Test
    void aServerErrorIsReportedAtOnceWithoutPatientData() {
        server.stubFor(get(urlPathEqualTo(STUDIES)).willReturn(aResponse().withStatus(500).withBody("database locked")));

        assertThatThrownBy(() -> client.searchStudies(Map.of("PatientName", "Doe^John")))
                .asInstanceOf(type(DicomWebStatusException.class))
                .satisfies(e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.isTransient()).isTrue();
                    assertThat(e.url()).isEqualTo(server.baseUrl() + STUDIES);
                    assertThat(e.serverMessage()).isEqualTo("database locked");
                    assertThat(e.getMessage()).contains("HTTP 500", STUDIES).doesNotContain("Doe");
                    assertThat(e.getSuppressed()).isEmpty();
                });
        server.verify(1, getRequestedFor(urlPathEqualTo(STUDIES)));
    }

    @Test
    void aClientErrorIsNotRetried() {
        server.stubFor(get(urlPathEqualTo(STUDIES)).willReturn(aResponse().withStatus(400).withBody("bad match key")));

        assertThatThrownBy(() -> client.searchStudies(Map.of()))
                .isInstanceOf(DicomWebStatusException.class)
                .hasMessageContaining("HTTP 400");
        server.verify(1, getRequestedFor(urlPathEqualTo(STUDIES)));
    }

    @Test
    void unauthorizedAndForbiddenAreNotRetriedAndCarryTheServersMessage() {
        server.stubFor(get(urlPathEqualTo(STUDIES)).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Basic realm=\"pacs\"").withBody("credentials required")));
        server.stubFor(get(urlPathEqualTo(SERIES_PATH)).willReturn(aResponse().withStatus(403)
                .withBody("{\"errorMessage\":\"AE GROUNDFLOW may not retrieve\"}")));

        assertThatThrownBy(() -> client.searchStudies(Map.of()))
                .asInstanceOf(type(DicomWebStatusException.class))
                .satisfies(e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.getMessage()).isEqualTo("HTTP 401 from " + server.baseUrl() + STUDIES + ": credentials required");
                });
        assertThatThrownBy(() -> client.retrieveSeries(STUDY, SERIES, temp))
                .asInstanceOf(type(DicomWebStatusException.class))
                .satisfies(e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.url()).isEqualTo(server.baseUrl() + SERIES_PATH);
                    assertThat(e.serverMessage()).contains("AE GROUNDFLOW may not retrieve");
                });
        server.verify(1, getRequestedFor(urlPathEqualTo(STUDIES)));
        server.verify(1, getRequestedFor(urlPathEqualTo(SERIES_PATH)));
    }

    @Test
    void matchValuesEchoedByTheServerAreBlankedFromErrors() {
        server.stubFor(get(urlPathEqualTo(STUDIES)).willReturn(aResponse().withStatus(400)
                .withBody("cannot match PatientName=Doe^John Q")));

        assertThatThrownBy(() -> client.searchStudies(QidoQuery.all().withMatch("PatientName", "Doe^John Q")))
                .asInstanceOf(type(DicomWebStatusException.class))
                .satisfies(e -> {
                    assertThat(e.getMessage()).doesNotContain("Doe").contains("PatientName=***");
                    assertThat(e.url()).doesNotContain("?");
                });
    }

    @Test
    void findStudyIsEmptyOn404() {
        server.stubFor(get(urlPathEqualTo(STUDIES)).willReturn(aResponse().withStatus(404)));

        assertThat(client.findStudy(STUDY)).isEmpty();
        server.verify(1, getRequestedFor(urlPathEqualTo(STUDIES)).withQueryParam("StudyInstanceUID", equalTo(STUDY.value())));
    }

    @Test
    void invalidMatchKeysAreRejectedBeforeAnyRequest() {
        assertThatThrownBy(() -> client.searchStudies(Map.of("Patient Name", "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("matchKeys").hasMessageContaining("Patient Name");
        server.verify(0, getRequestedFor(urlPathEqualTo(STUDIES)));
    }

    @Test
    void credentialsGoIntoTheAuthorizationHeader() {
        server.stubFor(get(urlPathEqualTo(STUDIES)).willReturn(json(200, "[]")));
        try (DicomWebClient bearer = new DicomWebClient(endpoint().withBearerToken("t0ken"));
             DicomWebClient basic = new DicomWebClient(endpoint().withBasicAuth("gf", "secret"))) {
            bearer.searchStudies(Map.of());
            basic.searchStudies(Map.of());
        }
        server.verify(getRequestedFor(urlPathEqualTo(STUDIES)).withHeader("Authorization", equalTo("Bearer t0ken")));
        server.verify(getRequestedFor(urlPathEqualTo(STUDIES)).withHeader("Authorization", equalTo("Basic Z2Y6c2VjcmV0")));
    }

    @Test
    void aSlowServerIsATimeout() {
        server.stubFor(get(urlPathEqualTo(STUDIES)).willReturn(json(200, "[]").withFixedDelay(1500)));
        try (DicomWebClient impatient = new DicomWebClient(endpoint().withReadTimeout(Duration.ofMillis(200)))) {
            assertThatThrownBy(() -> impatient.searchStudies(Map.of()))
                    .asInstanceOf(type(DicomWebTransportException.class))
                    .satisfies(e -> {
                        assertThat(e.isTimeout()).isTrue();
                        assertThat(e.getMessage()).startsWith("Timed out on " + server.baseUrl() + STUDIES);
                    });
        }
    }

    @Test
    void wadoStreamsEachPartIntoItsOwnFile() throws Exception {
        byte[][] parts = {"first-instance".getBytes(StandardCharsets.US_ASCII), new byte[200_000]};
        parts[1][199_999] = 42;
        server.stubFor(get(urlPathEqualTo(SERIES_PATH)).willReturn(multipart("application/dicom", parts)));

        List<Path> files = client.retrieveSeries(STUDY, SERIES, temp);

        assertThat(files).hasSize(2);
        assertThat(files.get(0)).hasBinaryContent(parts[0]);
        assertThat(files.get(1)).hasBinaryContent(parts[1]);
        server.verify(getRequestedFor(urlPathEqualTo(SERIES_PATH))
                .withHeader("Accept", equalTo("multipart/related; type=\"application/dicom\"; "
                        + "transfer-syntax=1.2.840.10008.1.2.1")));
    }

    @Test
    void wadoHandlesMoreThan512Parts() {
        byte[][] parts = new byte[600][];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = ("instance " + i).getBytes(StandardCharsets.US_ASCII);
        }
        server.stubFor(get(urlPathEqualTo(SERIES_PATH)).willReturn(multipart("application/dicom", parts)));

        List<Path> files = client.retrieveSeries(STUDY, SERIES, temp);

        assertThat(files).hasSize(600);
        assertThat(files.get(599)).hasContent("instance 599");
    }

    @Test
    void wadoWithTheWrongContentTypeIsAClearErrorAndLeavesNoFiles() throws Exception {
        server.stubFor(get(urlPathEqualTo(SERIES_PATH)).willReturn(json(200, "{\"error\":\"not here\"}")));

        assertThatThrownBy(() -> client.retrieveSeries(STUDY, SERIES, temp))
                .isInstanceOf(DicomWebResponseException.class)
                .hasMessageContaining(server.baseUrl() + SERIES_PATH)
                .hasMessageContaining("Content-Type is application/dicom+json")
                .hasMessageContaining("expected multipart/related");
        try (var left = Files.list(temp)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void wadoWithANonDicomPartIsAClearErrorAndLeavesNoFiles() throws Exception {
        server.stubFor(get(urlPathEqualTo(SERIES_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=b")
                .withBody("--b\r\nContent-Type: application/dicom\r\n\r\nDICM\r\n--b\r\nContent-Type: image/jpeg\r\n\r\nJPEG\r\n--b--\r\n")));

        assertThatThrownBy(() -> client.retrieveSeries(STUDY, SERIES, temp))
                .isInstanceOf(DicomWebResponseException.class)
                .hasMessageContaining("part 2 has Content-Type image/jpeg");
        try (var left = Files.list(temp)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void stowSendsAStreamedMultipartAndReportsAFailedInstance() {
        List<Path> files = DemoStudyFiles.get().subList(0, 2);
        Uid stored = SyntheticStudy.demo().sopInstanceUid(0);
        Uid failed = SyntheticStudy.demo().sopInstanceUid(1);
        server.stubFor(post(urlPathEqualTo(STUDIES)).willReturn(json(202, "{"
                + "\"00081199\":{\"vr\":\"SQ\",\"Value\":[{"
                + "  \"00081150\":{\"vr\":\"UI\",\"Value\":[\"1.2.840.10008.5.1.4.1.1.2\"]},"
                + "  \"00081155\":{\"vr\":\"UI\",\"Value\":[\"" + stored + "\"]},"
                + "  \"00081190\":{\"vr\":\"UR\",\"Value\":[\"http://pacs/studies/x\"]}}]},"
                + "\"00081198\":{\"vr\":\"SQ\",\"Value\":[{"
                + "  \"00081150\":{\"vr\":\"UI\",\"Value\":[\"1.2.840.10008.5.1.4.1.1.2\"]},"
                + "  \"00081155\":{\"vr\":\"UI\",\"Value\":[\"" + failed + "\"]},"
                + "  \"00081197\":{\"vr\":\"US\",\"Value\":[42752]}}]}}")));

        StoreResult result = client.store(files);

        assertThat(result.isComplete()).isFalse();
        assertThat(result.stored()).extracting(StoreResult.StoredInstance::sopInstanceUid).containsExactly(stored);
        assertThat(result.failed()).singleElement().satisfies(f -> {
            assertThat(f.sopInstanceUid()).isEqualTo(failed.value());
            assertThat(f.failureReason()).isEqualTo(0xA700);
        });
        assertThatThrownBy(result::requireAllStored)
                .isInstanceOf(DicomWebException.class)
                .hasMessageContaining("stored 1 of 2")
                .hasMessageContaining(failed.value() + ": refused: out of resources (0xA700)");
        server.verify(1, postRequestedFor(urlPathEqualTo(STUDIES))
                .withHeader("Content-Type", matching("multipart/related; type=\"application/dicom\"; boundary=\"?groundflow-[^;]+"))
                .withHeader("Accept", equalTo("application/dicom+json"))
                .withHeader("Transfer-Encoding", com.github.tomakehurst.wiremock.client.WireMock.absent()));
    }

    @Test
    void stowConflictMeansNothingWasStoredAndAnUnmentionedInstanceIsNotAcknowledged() {
        List<Path> files = DemoStudyFiles.get().subList(0, 2);
        Uid rejected = SyntheticStudy.demo().sopInstanceUid(0);
        server.stubFor(post(urlPathEqualTo(STUDIES)).willReturn(json(409, "{\"00081198\":{\"vr\":\"SQ\",\"Value\":[{"
                + "\"00081155\":{\"vr\":\"UI\",\"Value\":[\"" + rejected + "\"]},"
                + "\"00081197\":{\"vr\":\"US\",\"Value\":[290]}}]}}")));

        StoreResult result = client.store(files);

        assertThat(result.stored()).isEmpty();
        assertThat(result.failed()).extracting(StoreResult.FailedInstance::failureReason)
                .containsExactly(0x0122, StoreResult.NOT_ACKNOWLEDGED);
        assertThat(result.failed().get(1).reason()).isEqualTo("not acknowledged by the server");
    }

    @Test
    void stowIsNeverRetried() {
        server.stubFor(post(urlPathEqualTo(STUDIES)).willReturn(aResponse().withStatus(503).withBody("busy")));

        assertThatThrownBy(() -> client.store(DemoStudyFiles.get().subList(0, 1)))
                .asInstanceOf(type(DicomWebStatusException.class))
                .satisfies(e -> assertThat(e.status()).isEqualTo(503));
        server.verify(1, postRequestedFor(urlPathEqualTo(STUDIES)));
    }

    @Test
    void stowRejectsFilesThatAreNotDicomBeforeSending() throws Exception {
        Path text = Files.writeString(temp.resolve("notes.txt"), "not DICOM");

        assertThatThrownBy(() -> client.store(List.of(text)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.toString());
        server.verify(0, postRequestedFor(urlPathEqualTo(STUDIES)));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/dicom+json").withBody(body);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder multipart(String partType, byte[]... parts) {
        String boundary = "0f1e2d3c";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            body.writeBytes(("--" + boundary + "\r\nContent-Type: " + partType + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(part);
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return aResponse().withStatus(200)
                .withHeader("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .withBody(body.toByteArray());
    }
}
