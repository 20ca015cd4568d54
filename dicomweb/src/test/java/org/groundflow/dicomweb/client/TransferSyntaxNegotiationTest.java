package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.DicomWebStatusException;
import org.groundflow.dicomweb.Uid;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;
import static org.groundflow.dicomweb.client.HttpStubs.multipart;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/**
 * The endpoint's default asks for Explicit VR Little Endian and, when the server refuses to transcode, once more for
 * the instances as stored: exactly one extra request, only for a refusal, never after an instance was handed on.
 */
class TransferSyntaxNegotiationTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final Uid STUDY = Uid.of("2.25.100");
    private static final Uid SERIES = Uid.of("2.25.200");
    private static final String SERIES_PATH = "/dicom-web/studies/" + STUDY + "/series/" + SERIES;
    private static final String UNCOMPRESSED = "multipart/related; type=\"application/dicom\"; "
            + "transfer-syntax=1.2.840.10008.1.2.1";
    private static final String AS_STORED = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
    private static final Path JPEG_LS_FILE = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/"
            + "MR_small_jpeg_ls_lossless.dcm");

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
    void theDefaultAsksForExplicitVrLittleEndianInOneRequestWhenTheServerTranscodes() {
        server.stubFor(get(urlPathEqualTo(SERIES_PATH)).willReturn(multipart("application/dicom", bytes("a"), bytes("b"))));

        List<Path> files = client.retrieveSeries(STUDY, SERIES, temp);

        assertThat(files).hasSize(2);
        server.verify(1, getRequestedFor(urlPathEqualTo(SERIES_PATH)));
        server.verify(getRequestedFor(urlPathEqualTo(SERIES_PATH)).withHeader("Accept", equalTo(UNCOMPRESSED)));
    }

    @ParameterizedTest
    @ValueSource(ints = {406, 500, 501})
    void aRefusalToTranscodeCostsOneMoreRequestForTheInstancesAsStored(int status) {
        refuseUncompressed(status);
        server.stubFor(get(urlPathEqualTo(SERIES_PATH)).withHeader("Accept", equalTo(AS_STORED))
                .willReturn(multipart("application/dicom; transfer-syntax=1.2.840.10008.1.2.4.90", bytes("j2k"))));

        List<Path> files = client.retrieveSeries(STUDY, SERIES, temp);

        assertThat(files).singleElement().satisfies(file -> assertThat(file).hasContent("j2k"));
        server.verify(2, getRequestedFor(urlPathEqualTo(SERIES_PATH)));
        server.verify(1, getRequestedFor(urlPathEqualTo(SERIES_PATH)).withHeader("Accept", equalTo(AS_STORED)));
    }

    @ParameterizedTest
    @ValueSource(ints = {404, 503})
    void otherErrorsAreNotAnsweredByAnotherRequest(int status) {
        refuseUncompressed(status);

        assertThatThrownBy(() -> client.retrieveSeries(STUDY, SERIES, temp))
                .asInstanceOf(type(DicomWebStatusException.class))
                .satisfies(e -> assertThat(e.status()).isEqualTo(status));
        server.verify(1, getRequestedFor(urlPathEqualTo(SERIES_PATH)));
    }

    @Test
    void aPreferenceWithoutTheFallbackIsNotRepeated() {
        refuseUncompressed(500);

        assertThatThrownBy(() -> client.retrieveSeries(STUDY, SERIES,
                TransferSyntaxPreference.of(TransferSyntaxPreference.EXPLICIT_VR_LITTLE_ENDIAN), temp))
                .isInstanceOf(DicomWebStatusException.class);
        server.verify(1, getRequestedFor(urlPathEqualTo(SERIES_PATH)));
    }

    @Test
    void aSecondRefusalFailsTheCallWithTheFirstAttached() throws Exception {
        refuseUncompressed(500);
        server.stubFor(get(urlPathEqualTo(SERIES_PATH)).withHeader("Accept", equalTo(AS_STORED))
                .willReturn(aResponse().withStatus(500).withBody("storage area unavailable")));

        assertThatThrownBy(() -> client.retrieveSeries(STUDY, SERIES, temp))
                .asInstanceOf(type(DicomWebStatusException.class))
                .satisfies(e -> {
                    assertThat(e.serverMessage()).isEqualTo("storage area unavailable");
                    assertThat(e.getSuppressed()).singleElement().asString().contains("cannot transcode");
                });
        server.verify(2, getRequestedFor(urlPathEqualTo(SERIES_PATH)));
        try (var left = Files.list(temp)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void anInstanceLabelledWithASyntaxNotAskedForIsFetchedAgainAsStored() {
        server.stubFor(get(urlPathEqualTo(SERIES_PATH)).withHeader("Accept", equalTo(UNCOMPRESSED))
                .willReturn(multipart("application/dicom; transfer-syntax=1.2.840.10008.1.2.4.50", bytes("lossy"))));
        server.stubFor(get(urlPathEqualTo(SERIES_PATH)).withHeader("Accept", equalTo(AS_STORED))
                .willReturn(multipart("application/dicom", bytes("original"))));

        List<Path> files = client.retrieveSeries(STUDY, SERIES, temp);

        assertThat(files).singleElement().satisfies(file -> assertThat(file).hasContent("original"));
        server.verify(2, getRequestedFor(urlPathEqualTo(SERIES_PATH)));
    }

    @Test
    void anUnlabelledInstanceWhoseMetaInformationNamesAnotherSyntaxIsFetchedAgainAsStored() throws Exception {
        byte[] jpegLs = Files.readAllBytes(JPEG_LS_FILE);
        server.stubFor(get(urlPathEqualTo(SERIES_PATH)).withHeader("Accept", equalTo(UNCOMPRESSED))
                .willReturn(multipart("application/dicom", jpegLs)));
        server.stubFor(get(urlPathEqualTo(SERIES_PATH)).withHeader("Accept", equalTo(AS_STORED))
                .willReturn(multipart("application/dicom", jpegLs)));

        List<Path> files = client.retrieveSeries(STUDY, SERIES, temp);

        assertThat(files).singleElement().satisfies(file -> assertThat(Files.readAllBytes(file)).isEqualTo(jpegLs));
        server.verify(2, getRequestedFor(urlPathEqualTo(SERIES_PATH)));
    }

    @Test
    void aStreamIsNotRepeatedOnceAnInstanceWasHandedOn() {
        server.stubFor(get(urlPathEqualTo(SERIES_PATH)).willReturn(multipart("application/dicom", bytes("a"))));
        server.stubFor(get(urlPathEqualTo(SERIES_PATH)).withHeader("Accept", containing("1.2.840.10008.1.2.1"))
                .willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + HttpStubs.BOUNDARY)
                        .withBody(twoPartsTheSecondInAnotherSyntax())));
        List<String> seen = new ArrayList<>();

        assertThatThrownBy(() -> client.retrieveSeries(STUDY, SERIES, (index, dicom) ->
                seen.add(new String(dicom.readAllBytes(), StandardCharsets.US_ASCII))))
                .isInstanceOf(UnacceptedTransferSyntaxException.class)
                .hasMessageContaining("part 2 is in transfer syntax 1.2.840.10008.1.2.4.91");
        assertThat(seen).containsExactly("first");
        server.verify(1, getRequestedFor(urlPathEqualTo(SERIES_PATH)));
    }

    private static void refuseUncompressed(int status) {
        server.stubFor(get(urlPathEqualTo(SERIES_PATH)).withHeader("Accept", equalTo(UNCOMPRESSED))
                .willReturn(aResponse().withStatus(status).withBody("cannot transcode")));
    }

    private static byte[] twoPartsTheSecondInAnotherSyntax() {
        String boundary = HttpStubs.BOUNDARY;
        return ("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\nfirst\r\n"
                + "--" + boundary + "\r\nContent-Type: application/dicom; transfer-syntax=1.2.840.10008.1.2.4.91\r\n\r\n"
                + "second\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
