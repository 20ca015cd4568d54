package org.groundflow.fhir.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.groundflow.fhir.mapping.Fixtures;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The version guard of {@link FhirPublisher#publishIfNewest}: what it asks the server first, the update of the version
 * seen that it sends, and nothing sent when the server holds a newer revision.
 */
class ReportVersionsTest {

    private static final String FHIR_JSON = "application/fhir+json;charset=UTF-8";

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private FhirPublisher publisher;

    @BeforeEach
    void open() throws IOException {
        publisher = new FhirPublisher(FhirEndpoint.of(server.baseUrl() + "/fhir"), Fixtures.mapper());
        try (InputStream in = getClass().getResourceAsStream("/fhir/transaction-response.json")) {
            server.stubFor(post("/fhir").willReturn(aResponse().withStatus(200).withHeader("Content-Type", FHIR_JSON)
                    .withBody(new String(in.readAllBytes(), StandardCharsets.UTF_8))));
        }
    }

    @AfterEach
    void close() {
        publisher.close();
    }

    private static void stored(String issued, String version) {
        String entries = issued == null ? "" : ",\"entry\":[{\"resource\":{\"resourceType\":\"DiagnosticReport\",\"id\":\"77\","
                + "\"meta\":{\"versionId\":\"" + version + "\"},\"status\":\"final\",\"code\":{\"text\":\"CT\"},"
                + "\"issued\":\"" + issued + "\"}}]";
        server.stubFor(get(urlPathEqualTo("/fhir/DiagnosticReport")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", FHIR_JSON)
                .withBody("{\"resourceType\":\"Bundle\",\"type\":\"searchset\"" + entries + "}")));
    }

    private static Bundle.BundleEntryRequestComponent reportEntrySent() {
        String body = server.findAll(postRequestedFor(urlEqualTo("/fhir"))).get(0).getBodyAsString();
        Bundle bundle = FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, body);
        return bundle.getEntry().stream().filter(e -> e.getResource() instanceof DiagnosticReport).findFirst()
                .orElseThrow().getRequest();
    }

    @Test
    void anAmendmentUpdatesTheVersionItSaw() {
        stored("2024-03-16T09:30:00Z", "3");

        PublishedReport published = publisher.publishIfNewest(Fixtures.requestAmended(Fixtures.READ_ID));

        assertThat(published.superseded()).isFalse();
        server.verify(1, getRequestedFor(urlPathEqualTo("/fhir/DiagnosticReport"))
                .withQueryParam("identifier", equalTo("urn:groundflow:read|" + Fixtures.READ_ID)));
        assertThat(reportEntrySent().getUrl()).isEqualTo("DiagnosticReport/77");
        assertThat(reportEntrySent().getIfMatch()).isEqualTo("W/\"3\"");
    }

    @Test
    void anOlderRevisionThanTheServerHoldsIsNotSent() {
        stored("2024-03-17T11:00:00Z", "2");

        PublishedReport published = publisher.publishIfNewest(Fixtures.request(Fixtures.READ_ID));

        assertThat(published).isEqualTo(new PublishedReport(Fixtures.READ_ID, "77", "2", true));
        server.verify(0, postRequestedFor(urlEqualTo("/fhir")));
    }

    @Test
    void aFirstPublicationIsTheConditionalUpdateWithoutAVersion() {
        stored(null, null);

        publisher.publishIfNewest(Fixtures.request(Fixtures.READ_ID));

        assertThat(reportEntrySent().getUrl()).startsWith("DiagnosticReport?identifier=");
        assertThat(reportEntrySent().hasIfMatch()).isFalse();
    }
}
