package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.DicomWebResponseException;
import org.groundflow.dicomweb.DicomWebTransportException;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.format.DicomDataSet;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.groundflow.dicomweb.client.HttpStubs.BOUNDARY;
import static org.groundflow.dicomweb.client.HttpStubs.json;
import static org.groundflow.dicomweb.client.HttpStubs.multipart;
import static org.groundflow.dicomweb.client.HttpStubs.multipartBody;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/** WADO-RS against scripted responses: what is asked for, how parts land, and every way a response can be wrong. */
class WadoRetrievalTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final Uid STUDY = Uid.of("2.25.100");
    private static final Uid SERIES = Uid.of("2.25.200");
    private static final Uid INSTANCE = Uid.of("2.25.300");
    private static final String STUDY_PATH = "/dicom-web/studies/" + STUDY;
    private static final String SERIES_PATH = STUDY_PATH + "/series/" + SERIES;
    private static final String INSTANCE_PATH = SERIES_PATH + "/instances/" + INSTANCE;

    @TempDir
    Path temp;

    private DicomWebClient client;

    @BeforeEach
    void createClient() {
        client = new DicomWebClient(DicomWebEndpoint.of(server.baseUrl() + "/dicom-web"));
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    @Test
    void theAcceptHeaderListsTheTransferSyntaxesInOrderOfPreference() {
        server.stubFor(get(urlPathEqualTo(SERIES_PATH)).willReturn(multipart("application/dicom", bytes("a"))));

        client.retrieveSeries(STUDY, SERIES, TransferSyntaxPreference.of(TransferSyntaxPreference.JPEG_LOSSLESS_SV1,
                TransferSyntaxPreference.EXPLICIT_VR_LITTLE_ENDIAN), temp);
        client.retrieveSeries(STUDY, SERIES, TransferSyntaxPreference.asStored(), temp);

        server.verify(getRequestedFor(urlPathEqualTo(SERIES_PATH)).withHeader("Accept", equalTo(
                "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.4.70, "
                        + "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.1; q=0.9")));
        server.verify(getRequestedFor(urlPathEqualTo(SERIES_PATH)).withHeader("Accept", equalTo(
                "multipart/related; type=\"application/dicom\"; transfer-syntax=*")));
    }

    @Test
    void aPartInATransferSyntaxNotAskedForIsRefused() throws Exception {
        server.stubFor(get(urlPathEqualTo(SERIES_PATH)).willReturn(
                multipart("application/dicom; transfer-syntax=1.2.840.10008.1.2.4.91", bytes("j2k"))));

        assertThatThrownBy(() -> client.retrieveSeries(STUDY, SERIES,
                TransferSyntaxPreference.of(TransferSyntaxPreference.EXPLICIT_VR_LITTLE_ENDIAN), temp))
                .isInstanceOf(DicomWebResponseException.class)
                .hasMessageContaining("part 1 is in transfer syntax 1.2.840.10008.1.2.4.91");
        assertNoFilesLeft();
    }

    @Test
    void aStudyIsStreamedIntoOneFilePerInstance() {
        server.stubFor(get(urlPathEqualTo(STUDY_PATH)).willReturn(multipart("application/dicom", bytes("one"), bytes("two"))));

        List<Path> files = client.retrieveStudy(STUDY, temp);

        assertThat(files).extracting(f -> f.getFileName().toString()).containsExactly(STUDY + "_00001.dcm", STUDY + "_00002.dcm");
        assertThat(files.get(1)).hasContent("two");
    }

    @Test
    void anInstanceLandsInTheFileNamed() {
        server.stubFor(get(urlPathEqualTo(INSTANCE_PATH)).willReturn(multipart("application/dicom", bytes("only"))));

        Path file = client.retrieveInstance(STUDY, SERIES, INSTANCE, temp.resolve("sub/instance.dcm"));

        assertThat(file).hasContent("only");
    }

    @Test
    void twoInstancesForOneInstanceRetrievalIsAnError() {
        server.stubFor(get(urlPathEqualTo(INSTANCE_PATH)).willReturn(multipart("application/dicom", bytes("a"), bytes("b"))));

        assertThatThrownBy(() -> client.retrieveInstance(STUDY, SERIES, INSTANCE, temp.resolve("instance.dcm")))
                .isInstanceOf(DicomWebResponseException.class).hasMessageContaining("more than one instance");
        assertThat(temp.resolve("instance.dcm")).doesNotExist();
    }

    @Test
    void aMultipartBodyWithoutItsClosingBoundaryIsTruncatedNotShort() throws Exception {
        server.stubFor(get(urlPathEqualTo(SERIES_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY)
                .withBody(multipartBody("application/dicom", false, bytes("first"), bytes("second, cut")))));

        assertThatThrownBy(() -> client.retrieveSeries(STUDY, SERIES, temp))
                .isInstanceOf(DicomWebResponseException.class)
                .hasMessageContaining(server.baseUrl() + SERIES_PATH)
                .hasMessageContaining("truncated multipart body")
                .hasMessageContaining("after 1 complete parts");
        assertNoFilesLeft();
    }

    @Test
    void aConnectionDroppedMidBodyIsATransportFailureReportedWithoutRetrying() throws Exception {
        byte[] body = multipartBody("application/dicom", true, bytes("first"), new byte[100_000]);
        byte[] half = java.util.Arrays.copyOf(body, body.length / 2);
        try (TruncatingServer cut = new TruncatingServer(
                "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY, half, body.length);
             DicomWebClient impatient = new DicomWebClient(DicomWebEndpoint.of(cut.baseUrl() + "/dicom-web"))) {
            assertThatThrownBy(() -> impatient.retrieveSeries(STUDY, SERIES, temp))
                    .isInstanceOf(DicomWebTransportException.class)
                    .hasMessageContaining(cut.baseUrl() + SERIES_PATH)
                    .hasMessageContaining("Premature end of Content-Length delimited message body")
                    .satisfies(e -> assertThat(e.getSuppressed()).isEmpty());
            assertThat(cut.requests()).isEqualTo(1);
        }
        assertNoFilesLeft();
    }

    @Test
    void framesComeBackInTheOrderAskedWithTheirMediaType() {
        byte[] first = new byte[512];
        byte[] third = new byte[512];
        third[0] = 3;
        server.stubFor(get(urlPathEqualTo(INSTANCE_PATH + "/frames/3,1")).willReturn(
                multipart("application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1", third, first)));

        List<Frame> frames = client.retrieveFrames(STUDY, SERIES, INSTANCE, List.of(3, 1));

        assertThat(frames).extracting(Frame::number).containsExactly(3, 1);
        assertThat(frames.get(0).data()).isEqualTo(third);
        assertThat(frames.get(0).mediaType()).isEqualTo("application/octet-stream");
        assertThat(frames.get(0).transferSyntaxUid()).isEqualTo("1.2.840.10008.1.2.1");
        server.verify(getRequestedFor(urlPathEqualTo(INSTANCE_PATH + "/frames/3,1"))
                .withHeader("Accept", equalTo("multipart/related; type=\"application/octet-stream\"")));
    }

    @Test
    void compressedFramesAreAskedForWithTheirMediaTypes() {
        server.stubFor(get(urlPathEqualTo(INSTANCE_PATH + "/frames/1")).willReturn(
                multipart("image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.70", bytes("jpeg"))));

        List<Frame> frames = client.retrieveFrames(STUDY, SERIES, INSTANCE, List.of(1),
                TransferSyntaxPreference.of(TransferSyntaxPreference.JPEG_LOSSLESS_SV1, TransferSyntaxPreference.EXPLICIT_VR_LITTLE_ENDIAN));

        assertThat(frames).singleElement().satisfies(f -> assertThat(f.mediaType()).isEqualTo("image/jpeg"));
        server.verify(getRequestedFor(urlPathEqualTo(INSTANCE_PATH + "/frames/1")).withHeader("Accept", equalTo(
                "multipart/related; type=\"image/jpeg\"; transfer-syntax=1.2.840.10008.1.2.4.70, "
                        + "multipart/related; type=\"application/octet-stream\"; transfer-syntax=1.2.840.10008.1.2.1; q=0.9")));
    }

    @Test
    void fewerFramesThanAskedForIsAnError() {
        server.stubFor(get(urlPathEqualTo(INSTANCE_PATH + "/frames/1,2")).willReturn(
                multipart("application/octet-stream", new byte[4])));

        assertThatThrownBy(() -> client.retrieveFrames(STUDY, SERIES, INSTANCE, List.of(1, 2)))
                .isInstanceOf(DicomWebResponseException.class).hasMessageContaining("1 parts for the 2 frames asked for");
        assertThatThrownBy(() -> client.retrieveFrames(STUDY, SERIES, INSTANCE, List.of(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1-based");
    }

    @Test
    void metadataIsTypedDicomJson() {
        server.stubFor(get(urlPathEqualTo(SERIES_PATH + "/metadata")).willReturn(json(200, "[{"
                + "\"00080018\":{\"vr\":\"UI\",\"Value\":[\"" + INSTANCE + "\"]},"
                + "\"00280030\":{\"vr\":\"DS\",\"Value\":[0.75,0.75]},"
                + "\"7FE00010\":{\"vr\":\"OW\",\"BulkDataURI\":\"http://pacs/bulk/1\"}}]")));

        List<DicomDataSet> metadata = client.retrieveSeriesMetadata(STUDY, SERIES);

        assertThat(metadata).singleElement().satisfies(m -> {
            assertThat(m.uid("SOPInstanceUID")).hasValue(INSTANCE);
            assertThat(m.strings("PixelSpacing")).containsExactly("0.75", "0.75");
            assertThat(m.decimal("PixelSpacing")).hasValue(0.75);
            assertThat(m.bulkDataUri("PixelData")).hasValue("http://pacs/bulk/1");
            assertThat(m.vr("7FE00010")).hasValue("OW");
        });
        server.verify(getRequestedFor(urlPathEqualTo(SERIES_PATH + "/metadata"))
                .withHeader("Accept", equalTo("application/dicom+json")));
    }

    @Test
    void metadataThatIsNotJsonIsAClearError() {
        server.stubFor(get(urlPathEqualTo(STUDY_PATH + "/metadata")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<html>login</html>")));

        assertThatThrownBy(() -> client.retrieveStudyMetadata(STUDY))
                .isInstanceOf(DicomWebResponseException.class)
                .hasMessageContaining("Content-Type is text/html; expected application/dicom+json");
    }

    private void assertNoFilesLeft() throws Exception {
        try (var left = Files.list(temp)) {
            assertThat(left).isEmpty();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
