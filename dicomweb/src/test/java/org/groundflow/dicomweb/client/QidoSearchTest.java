package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.DicomWebResponseException;
import org.groundflow.dicomweb.Uid;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.groundflow.dicomweb.client.HttpStubs.json;
import static org.groundflow.dicomweb.client.HttpStubs.studies;
import static org.groundflow.dicomweb.client.HttpStubs.studyUids;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/** QIDO-RS against scripted responses: paging, profiles, typed results, what is sent. */
class QidoSearchTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String STUDIES = "/dicom-web/studies";

    private static DicomWebClient client(ServerProfile profile) {
        return new DicomWebClient(DicomWebEndpoint.of(server.baseUrl() + "/dicom-web").withProfile(profile));
    }

    @Test
    void pagesAreFollowedToTheEnd() {
        stubPage(0, 3, studies(studyUids(0, 3)));
        stubPage(3, 3, studies(studyUids(3, 3)));
        stubPage(6, 3, studies(studyUids(6, 1)));

        try (DicomWebClient client = client(ServerProfile.ORTHANC)) {
            List<StudyRecord> found = client.searchStudies(QidoQuery.all().withPageSize(3));

            assertThat(found).extracting(s -> s.studyInstanceUid().value()).containsExactly(studyUids(0, 7));
        }
        server.verify(3, getRequestedFor(urlPathEqualTo(STUDIES)).withQueryParam("limit", equalTo("3")));
        server.verify(getRequestedFor(urlPathEqualTo(STUDIES)).withQueryParam("offset", absent()));
        server.verify(getRequestedFor(urlPathEqualTo(STUDIES)).withQueryParam("offset", equalTo("6")));
    }

    @Test
    void aShortPageWithTheAdditionalResultsWarningIsNotTheEnd() {
        // the server caps each page at 2 although 5 were asked for, and says so
        server.stubFor(get(urlPathEqualTo(STUDIES)).withQueryParam("offset", absent())
                .willReturn(json(200, studies(studyUids(0, 2)))
                        .withHeader("Warning", "299 pacs: There are additional results that can be requested")));
        stubPage(2, 5, studies(studyUids(2, 1)));

        try (DicomWebClient client = client(ServerProfile.ORTHANC)) {
            assertThat(client.searchStudies(QidoQuery.all().withPageSize(5))).hasSize(3);
        }
    }

    @Test
    void aServerThatIgnoresOffsetIsReportedNotLoopedOn() {
        server.stubFor(get(urlPathEqualTo(STUDIES)).willReturn(json(200, studies(studyUids(0, 2)))));

        try (DicomWebClient client = client(ServerProfile.ORTHANC)) {
            assertThatThrownBy(() -> client.searchStudies(QidoQuery.all().withPageSize(2)))
                    .isInstanceOf(DicomWebResponseException.class)
                    .hasMessageContaining(server.baseUrl() + STUDIES)
                    .hasMessageContaining("the server ignores 'offset'");
        }
        server.verify(2, getRequestedFor(urlPathEqualTo(STUDIES)));
    }

    @Test
    void maxResultsStopsEarlyAndShrinksTheLastPage() {
        stubPage(0, 3, studies(studyUids(0, 3)));
        stubPage(3, 1, studies(studyUids(3, 1)));

        try (DicomWebClient client = client(ServerProfile.ORTHANC)) {
            assertThat(client.searchStudies(QidoQuery.all().withPageSize(3).withMaxResults(4))).hasSize(4);
        }
        server.verify(2, getRequestedFor(urlPathEqualTo(STUDIES)));
    }

    @Test
    void matchKeysDateRangesAndIncludeFieldsAreSent() {
        server.stubFor(get(urlPathEqualTo(STUDIES)).willReturn(json(200, "[{"
                + "\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"2.25.1\"]},"
                + "\"00081030\":{\"vr\":\"LO\",\"Value\":[\"CT chest\"]},"
                + "\"00080030\":{\"vr\":\"TM\",\"Value\":[\"093015.25\"]},"
                + "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Doe^Jane\"}]}}]")));

        try (DicomWebClient client = client(ServerProfile.ORTHANC)) {
            List<StudyRecord> found = client.searchStudies(QidoQuery.all()
                    .withMatch("ModalitiesInStudy", "CT")
                    .withDateRange("StudyDate", LocalDate.of(2024, 5, 1), LocalDate.of(2024, 5, 31))
                    .withIncludeFields("StudyDescription", "00080030"));

            StudyRecord study = found.get(0);
            assertThat(study.studyDescription()).hasValue("CT chest");
            assertThat(study.attributes().time("StudyTime")).hasValueSatisfying(t -> assertThat(t).hasHour(9).hasMinute(30));
            assertThat(study.attributes().string("PatientName")).hasValue("Doe^Jane");
            assertThat(study.toString()).doesNotContain("Doe");
        }
        server.verify(getRequestedFor(urlPathEqualTo(STUDIES))
                .withQueryParam("ModalitiesInStudy", equalTo("CT"))
                .withQueryParam("StudyDate", equalTo("20240501-20240531"))
                .withQueryParam("includefield", equalTo("StudyDescription"))
                .withQueryParam("includefield", equalTo("00080030"))
                .withQueryParam("includefield", equalTo("00201208"))
                .withHeader("Accept", equalTo("application/dicom+json")));
    }

    @Test
    void openDateRanges() {
        assertThat(QidoQuery.all().withDateRange("StudyDate", null, LocalDate.of(2024, 1, 2)).matches())
                .containsEntry("StudyDate", "-20240102");
        assertThat(QidoQuery.all().withDateRange("StudyDate", LocalDate.of(2024, 1, 2), null).matches())
                .containsEntry("StudyDate", "20240102-");
    }

    @Test
    void theOrthancProfileRefusesWhatOrthancWouldSilentlyIgnore() {
        try (DicomWebClient orthanc = client(ServerProfile.ORTHANC)) {
            assertThatThrownBy(() -> orthanc.searchStudies(QidoQuery.all().withAllFields()))
                    .isInstanceOf(UnsupportedByServerException.class)
                    .hasMessage("The orthanc server profile does not support includefield=all");
            assertThatThrownBy(() -> orthanc.searchStudies(QidoQuery.all().withFuzzyMatching().withMatch("PatientName", "doe")))
                    .isInstanceOf(UnsupportedByServerException.class).hasMessageContaining("fuzzy matching");
            assertThatThrownBy(() -> orthanc.searchStudies(QidoQuery.all()
                    .withMatch("RequestAttributesSequence.ScheduledProcedureStepID", "SPS1")))
                    .isInstanceOf(UnsupportedByServerException.class).hasMessageContaining("sequence");
        }
        server.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aGenericServerGetsIncludeFieldAllFuzzyAndSequenceMatching() {
        server.stubFor(get(urlPathEqualTo(STUDIES)).willReturn(json(200, "[]")));

        try (DicomWebClient generic = client(ServerProfile.GENERIC)) {
            generic.searchStudies(QidoQuery.all().withAllFields().withFuzzyMatching()
                    .withMatch("RequestAttributesSequence.ScheduledProcedureStepID", "SPS1"));
        }
        server.verify(getRequestedFor(urlPathEqualTo(STUDIES))
                .withQueryParam("includefield", equalTo("all"))
                .withQueryParam("fuzzymatching", equalTo("true"))
                .withQueryParam("RequestAttributesSequence.ScheduledProcedureStepID", equalTo("SPS1")));
    }

    @Test
    void seriesAndInstanceSearchesGiveTypedRecords() {
        String study = "2.25.11";
        String series = "2.25.22";
        server.stubFor(get(urlPathEqualTo("/dicom-web/series")).willReturn(json(200, "[{"
                + "\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"" + study + "\"]},"
                + "\"0020000E\":{\"vr\":\"UI\",\"Value\":[\"" + series + "\"]},"
                + "\"00080060\":{\"vr\":\"CS\",\"Value\":[\"MR\"]},"
                + "\"00200011\":{\"vr\":\"IS\",\"Value\":[\"7\"]}}]")));
        server.stubFor(get(urlPathEqualTo("/dicom-web/studies/" + study + "/series/" + series + "/instances"))
                .willReturn(json(200, "[{"
                        + "\"00080016\":{\"vr\":\"UI\",\"Value\":[\"1.2.840.10008.5.1.4.1.1.4.1\"]},"
                        + "\"00080018\":{\"vr\":\"UI\",\"Value\":[\"2.25.33\"]},"
                        + "\"00200013\":{\"vr\":\"IS\",\"Value\":[3]},"
                        + "\"00280008\":{\"vr\":\"IS\",\"Value\":[\"120\"]}}]")));

        try (DicomWebClient client = client(ServerProfile.ORTHANC)) {
            SeriesRecord found = client.searchSeries(QidoQuery.all().withMatch("Modality", "MR")).get(0);
            assertThat(found.seriesInstanceUid()).isEqualTo(Uid.of(series));
            assertThat(found.studyInstanceUid()).hasValue(Uid.of(study));
            assertThat(found.seriesNumber()).hasValue(7);

            InstanceRecord instance = client.searchInstances(Uid.of(study), Uid.of(series), QidoQuery.all()).get(0);
            assertThat(instance.studyInstanceUid()).isEqualTo(Uid.of(study));
            assertThat(instance.seriesInstanceUid()).isEqualTo(Uid.of(series));
            assertThat(instance.sopInstanceUid()).isEqualTo(Uid.of("2.25.33"));
            assertThat(instance.sopClassUid()).isEqualTo(Uid.of("1.2.840.10008.5.1.4.1.1.4.1"));
            assertThat(instance.instanceNumber()).hasValue(3);
            assertThat(instance.numberOfFrames()).hasValue(120);
        }
        server.verify(getRequestedFor(urlPathEqualTo("/dicom-web/studies/" + study + "/series/" + series + "/instances"))
                .withQueryParam("includefield", equalTo("00280008")));
    }

    @Test
    void noContentAndNotFoundAreEmptyResults() {
        server.stubFor(get(urlPathEqualTo(STUDIES)).willReturn(com.github.tomakehurst.wiremock.client.WireMock.noContent()));
        server.stubFor(get(urlPathEqualTo("/dicom-web/studies/2.25.9/series"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.notFound()));

        try (DicomWebClient client = client(ServerProfile.DCM4CHEE_ARC)) {
            assertThat(client.searchStudies(QidoQuery.all())).isEmpty();
            assertThat(client.searchSeries(Uid.of("2.25.9"), QidoQuery.all())).isEmpty();
        }
    }

    @Test
    void aResultWithoutItsUidIsAClearError() {
        server.stubFor(get(urlPathEqualTo(STUDIES)).willReturn(json(200, "[{\"00080020\":{\"vr\":\"DA\"}}]")));

        try (DicomWebClient client = client(ServerProfile.ORTHANC)) {
            assertThatThrownBy(() -> client.searchStudies(QidoQuery.all()))
                    .isInstanceOf(DicomWebResponseException.class)
                    .hasMessageContaining("a study without a valid StudyInstanceUID");
        }
    }

    private static void stubPage(int offset, int limit, String body) {
        var request = get(urlPathEqualTo(STUDIES)).withQueryParam("limit", equalTo(Integer.toString(limit)));
        request = offset == 0 ? request.withQueryParam("offset", absent())
                : request.withQueryParam("offset", equalTo(Integer.toString(offset)));
        server.stubFor(request.willReturn(json(200, body)));
    }
}
