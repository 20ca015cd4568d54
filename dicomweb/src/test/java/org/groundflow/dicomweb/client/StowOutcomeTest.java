package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.DicomWebResponseException;
import org.groundflow.dicomweb.DicomWebStatusException;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.format.NativeDicomModel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;
import static org.groundflow.dicomweb.client.HttpStubs.json;

import java.nio.file.Path;
import java.util.List;

import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.testing.DemoStudyFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/** STOW-RS responses in their various shapes: DICOM XML, warnings, Orthanc's 400 with outcomes, plain errors. */
class StowOutcomeTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String STUDIES = "/dicom-web/studies";
    private static final Uid FIRST = SyntheticStudy.demo().sopInstanceUid(0);
    private static final Uid SECOND = SyntheticStudy.demo().sopInstanceUid(1);
    private static final List<Path> TWO = DemoStudyFiles.get().subList(0, 2);

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
    void aDicomXmlResponseIsReadLikeJson() {
        // shaped like Orthanc's answer with Accept: application/dicom+xml, stray empty Value included
        server.stubFor(post(urlPathEqualTo(STUDIES)).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Type", "application/dicom+xml")
                .withBody("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                        + "<NativeDicomModel xmlns=\"http://dicom.nema.org/PS3.19/models/NativeDICOM\">\n"
                        + "  <DicomAttribute tag=\"00081198\" vr=\"SQ\" keyword=\"FailedSOPSequence\">\n"
                        + "    <Item number=\"1\">\n"
                        + "      <DicomAttribute tag=\"00081155\" vr=\"UI\"><Value number=\"1\">" + SECOND + "</Value></DicomAttribute>\n"
                        + "      <DicomAttribute tag=\"00081197\" vr=\"US\"><Value number=\"1\">43264</Value></DicomAttribute>\n"
                        + "    </Item>\n"
                        + "  </DicomAttribute>\n"
                        + "  <DicomAttribute tag=\"00081199\" vr=\"SQ\" keyword=\"ReferencedSOPSequence\">\n"
                        + "    <Item number=\"1\">\n"
                        + "      <DicomAttribute tag=\"00081150\" vr=\"UI\"><Value number=\"1\">1.2.840.10008.5.1.4.1.1.2</Value></DicomAttribute>\n"
                        + "      <DicomAttribute tag=\"00081155\" vr=\"UI\"><Value number=\"1\">" + FIRST + "</Value></DicomAttribute>\n"
                        + "      <DicomAttribute tag=\"00081190\" vr=\"UR\"><Value number=\"1\">http://pacs/x</Value></DicomAttribute>\n"
                        + "    </Item>\n"
                        + "    <Value number=\"1\" />\n"
                        + "  </DicomAttribute>\n"
                        + "</NativeDicomModel>\n")));

        StoreResult result = client.store(TWO);

        assertThat(result.stored()).singleElement().satisfies(s -> {
            assertThat(s.sopInstanceUid()).isEqualTo(FIRST);
            assertThat(s.retrieveUrl()).isEqualTo("http://pacs/x");
        });
        assertThat(result.failed()).singleElement().satisfies(f -> {
            assertThat(f.sopInstanceUid()).isEqualTo(SECOND.value());
            assertThat(f.reason()).isEqualTo("error: data set does not match SOP class (0xA900)");
        });
    }

    @Test
    void xmlWithADoctypeIsRefused() {
        server.stubFor(post(urlPathEqualTo(STUDIES)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/dicom+xml")
                .withBody("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                        + "<NativeDicomModel>&e;</NativeDicomModel>")));

        assertThatThrownBy(() -> client.store(TWO))
                .isInstanceOf(DicomWebResponseException.class).hasMessageContaining("malformed DICOM XML");
    }

    @Test
    void storedWithAWarningIsStoredAndSaysWhy() {
        server.stubFor(post(urlPathEqualTo(STUDIES)).willReturn(json(202, "{\"00081199\":{\"vr\":\"SQ\",\"Value\":["
                + "{\"00081155\":{\"vr\":\"UI\",\"Value\":[\"" + FIRST + "\"]},\"00081196\":{\"vr\":\"US\",\"Value\":[45056]}},"
                + "{\"00081155\":{\"vr\":\"UI\",\"Value\":[\"" + SECOND + "\"]}}]}}")));

        StoreResult result = client.store(TWO).requireAllStored();

        assertThat(result.warnings()).singleElement().satisfies(w -> {
            assertThat(w.sopInstanceUid()).isEqualTo(FIRST);
            assertThat(w.warning()).isEqualTo("coercion of data elements (0xB000)");
        });
        assertThat(result.stored().get(1).hasWarning()).isFalse();
    }

    @Test
    void orthancsBadRequestWithOutcomesIsAPartialFailureNotAnException() {
        // Orthanc answers 400 when a part could not be parsed; the instances it never saw are not acknowledged
        server.stubFor(post(urlPathEqualTo(STUDIES)).willReturn(json(400, "{\"00081198\":{\"vr\":\"SQ\"},"
                + "\"00081199\":{\"vr\":\"SQ\",\"Value\":[{\"00081155\":{\"vr\":\"UI\",\"Value\":[\"" + FIRST + "\"]}}]}}")));

        StoreResult result = client.store(TWO);

        assertThat(result.stored()).extracting(StoreResult.StoredInstance::sopInstanceUid).containsExactly(FIRST);
        assertThat(result.failed()).singleElement().satisfies(f -> {
            assertThat(f.sopInstanceUid()).isEqualTo(SECOND.value());
            assertThat(f.failureReason()).isEqualTo(StoreResult.NOT_ACKNOWLEDGED);
        });
        assertThatThrownBy(result::requireAllStored).hasMessageContaining("stored 1 of 2");
    }

    @Test
    void aBadRequestWithoutOutcomesIsAStatusErrorWithTheServersMessage() {
        server.stubFor(post(urlPathEqualTo(STUDIES)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"HttpError\":\"Bad Request\",\"Message\":\"Bad file format\"}")));

        assertThatThrownBy(() -> client.store(TWO))
                .asInstanceOf(type(DicomWebStatusException.class))
                .satisfies(e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.url()).isEqualTo(server.baseUrl() + STUDIES);
                    assertThat(e.serverMessage()).contains("Bad file format");
                });
    }

    @Test
    void aStudyScopedStoreGoesToTheStudyResource() {
        Uid study = SyntheticStudy.STUDY_INSTANCE_UID;
        server.stubFor(post(urlPathEqualTo(STUDIES + "/" + study)).willReturn(aResponse().withStatus(200)));

        StoreResult result = client.store(study, TWO);

        assertThat(result.stored()).hasSize(2);
        server.verify(1, postRequestedFor(urlPathEqualTo(STUDIES + "/" + study)));
    }

    @Test
    void anEmptyAcceptedResponseIsNotTakenForSuccess() {
        server.stubFor(post(urlPathEqualTo(STUDIES)).willReturn(aResponse().withStatus(202)));

        assertThatThrownBy(() -> client.store(DemoStudyFiles.get().get(0)))
                .isInstanceOf(DicomWebStatusException.class)
                .hasMessageContaining("HTTP 202")
                .hasMessageContaining("no per-instance outcome");
    }
}
