package org.groundflow.dicomweb.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.groundflow.dicomweb.format.DicomFileHeader;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.testing.CompressedCopies;
import org.groundflow.dicomweb.testing.CompressedCopies.Encoding;
import org.groundflow.dicomweb.testing.OrthancServer;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.ImageVolumeReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/**
 * Series stored compressed in a real Orthanc (Debian 1.10: it transcodes JPEG-LS, JPEG lossless, RLE and deflated
 * data sets to Explicit VR Little Endian, and answers 500 for JPEG 2000), retrieved through WADO-RS with the
 * endpoint's default negotiation and decoded: the same voxels as the uncompressed original (lossy JPEG 2000 within a
 * bound), in one request where Orthanc transcodes and two where it cannot. Requests are counted by a proxy in front of
 * Orthanc.
 */
class CompressedStudiesTest {

    @RegisterExtension
    static OrthancServer orthanc = new OrthancServer();

    @RegisterExtension
    static WireMockExtension proxy = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    static Path temp;

    private static final Map<Encoding, SyntheticStudy> STUDIES = new EnumMap<>(Encoding.class);
    private static final Map<Encoding, ImageVolume> ORIGINALS = new EnumMap<>(Encoding.class);
    private static DicomWebClient client;

    @BeforeAll
    static void storeEachEncoding() {
        try (DicomWebClient direct = new DicomWebClient(orthanc.endpoint())) {
            for (Encoding encoding : Encoding.values()) {
                SyntheticStudy study = SyntheticStudy.builder().variant("compressed-" + encoding).slices(4).size(64).build();
                List<Path> files = study.writeTo(temp.resolve("original-" + encoding));
                ORIGINALS.put(encoding, ImageVolumeReader.read(files));
                direct.store(CompressedCopies.of(files, encoding, temp.resolve("stored-" + encoding))).requireAllStored();
                STUDIES.put(encoding, study);
            }
        }
        client = new DicomWebClient(DicomWebEndpoint.orthanc(proxy.baseUrl()));
    }

    @AfterAll
    static void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    /** The proxy forgets its stubs and requests before each test. */
    @BeforeEach
    void proxyToOrthanc() {
        proxy.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(orthanc.restUrl())));
    }

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void eachEncodingIsRetrievedWithTheDefaultNegotiationAndDecodesToTheOriginal(Encoding encoding) {
        SyntheticStudy study = STUDIES.get(encoding);
        boolean transcodes = !encoding.name().startsWith("JPEG_2000");

        List<Path> files = client.retrieveSeries(study.studyInstanceUid(), study.seriesInstanceUid(),
                temp.resolve("default-" + encoding));

        proxy.verify(transcodes ? 1 : 2, getRequestedFor(urlPathEqualTo(seriesPath(study))));
        String expected = transcodes ? TransferSyntaxPreference.EXPLICIT_VR_LITTLE_ENDIAN.value() : encoding.transferSyntaxUid();
        assertThat(files).hasSize(4).allSatisfy(file -> assertThat(DicomFileHeader.transferSyntaxOf(file)).contains(expected));
        assertDecodesToTheOriginal(encoding, files);
    }

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void eachEncodingAskedForAsStoredDecodesLocally(Encoding encoding) {
        SyntheticStudy study = STUDIES.get(encoding);

        List<Path> files = client.retrieveSeries(study.studyInstanceUid(), study.seriesInstanceUid(),
                TransferSyntaxPreference.asStored(), temp.resolve("as-stored-" + encoding));

        proxy.verify(1, getRequestedFor(urlPathEqualTo(seriesPath(study))));
        assertThat(files).hasSize(4).allSatisfy(file -> assertThat(DicomFileHeader.transferSyntaxOf(file))
                .contains(encoding.transferSyntaxUid()));
        assertDecodesToTheOriginal(encoding, files);
    }

    private static void assertDecodesToTheOriginal(Encoding encoding, List<Path> files) {
        ImageVolume original = ORIGINALS.get(encoding);
        ImageVolume decoded = ImageVolumeReader.read(files);
        if (encoding.lossless()) {
            assertThat(decoded.voxels()).isEqualTo(original.voxels());
            assertThat(decoded.sopInstanceUids()).isEqualTo(original.sopInstanceUids());
        } else {
            double sum = 0;
            for (int i = 0; i < decoded.voxels().length; i++) {
                sum += Math.abs(decoded.voxels()[i] - original.voxels()[i]);
            }
            assertThat(sum / decoded.voxels().length).as("mean absolute error in HU").isLessThan(20.0);
            assertThat(decoded.voxels()).hasSameSizeAs(original.voxels());
        }
    }

    private static String seriesPath(SyntheticStudy study) {
        return "/dicom-web/studies/" + study.studyInstanceUid() + "/series/" + study.seriesInstanceUid();
    }
}
