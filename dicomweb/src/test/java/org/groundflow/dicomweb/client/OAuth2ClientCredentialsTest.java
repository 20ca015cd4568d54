package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.DicomWebAuthenticationException;
import org.groundflow.dicomweb.DicomWebStatusException;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;
import static org.groundflow.dicomweb.client.HttpStubs.json;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/** OAuth 2.0 client credentials: the token request, caching, refresh before expiry and after a 401, failures. */
class OAuth2ClientCredentialsTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String TOKEN = "/oauth/token";
    private static final String STUDIES = "/dicom-web/studies";

    private static DicomWebClient client(OAuth2ClientCredentials credentials) {
        return new DicomWebClient(DicomWebEndpoint.of(server.baseUrl() + "/dicom-web").withOAuth2(credentials));
    }

    private static OAuth2ClientCredentials credentials() {
        return OAuth2ClientCredentials.of(server.baseUrl() + TOKEN, "groundflow", "s3cret:&");
    }

    private static void tokenIs(String token, long expiresIn) {
        server.stubFor(post(urlPathEqualTo(TOKEN)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}")));
    }

    @Test
    void theTokenIsFetchedWithBasicAuthAndCachedWhileValid() {
        tokenIs("tok-1", 3600);
        server.stubFor(get(urlPathEqualTo(STUDIES)).willReturn(json(200, "[]")));

        try (DicomWebClient client = client(credentials().withScope("dicomweb.read"))) {
            client.searchStudies(QidoQuery.all());
            client.searchStudies(QidoQuery.all());
        }
        server.verify(1, postRequestedFor(urlPathEqualTo(TOKEN))
                .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                // "groundflow:s3cret%3A%26" in Base64: id and secret are form-encoded first (RFC 6749 2.3.1)
                .withHeader("Authorization", equalTo("Basic Z3JvdW5kZmxvdzpzM2NyZXQlM0ElMjY="))
                .withRequestBody(equalTo("grant_type=client_credentials&scope=dicomweb.read")));
        server.verify(2, getRequestedFor(urlPathEqualTo(STUDIES)).withHeader("Authorization", equalTo("Bearer tok-1")));
    }

    @Test
    void credentialsMayGoInTheFormInstead() {
        tokenIs("tok-form", 3600);
        server.stubFor(get(urlPathEqualTo(STUDIES)).willReturn(json(200, "[]")));

        try (DicomWebClient client = client(credentials().withCredentialsInForm())) {
            client.searchStudies(QidoQuery.all());
        }
        server.verify(postRequestedFor(urlPathEqualTo(TOKEN))
                .withHeader("Authorization", absent())
                .withRequestBody(equalTo("grant_type=client_credentials&client_id=groundflow&client_secret=s3cret%3A%26")));
    }

    @Test
    void aTokenAboutToExpireIsFetchedAgain() {
        tokenIs("short-lived", 3); // refreshed 5 s before expiry: already due
        server.stubFor(get(urlPathEqualTo(STUDIES)).willReturn(json(200, "[]")));

        try (DicomWebClient client = client(credentials())) {
            client.searchStudies(QidoQuery.all());
            client.searchStudies(QidoQuery.all());
        }
        server.verify(2, postRequestedFor(urlPathEqualTo(TOKEN)));
    }

    @Test
    void aRefusedTokenIsReplacedOnceAndTheRequestRepeated() {
        server.stubFor(post(urlPathEqualTo(TOKEN)).inScenario("rotation").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"revoked\",\"token_type\":\"bearer\",\"expires_in\":3600}"))
                .willSetStateTo("rotated"));
        server.stubFor(post(urlPathEqualTo(TOKEN)).inScenario("rotation").whenScenarioStateIs("rotated")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"fresh\",\"token_type\":\"bearer\",\"expires_in\":3600}")));
        server.stubFor(get(urlPathEqualTo(STUDIES)).withHeader("Authorization", equalTo("Bearer revoked"))
                .willReturn(aResponse().withStatus(401).withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"")));
        server.stubFor(get(urlPathEqualTo(STUDIES)).withHeader("Authorization", equalTo("Bearer fresh"))
                .willReturn(json(200, "[]")));

        try (DicomWebClient client = client(credentials())) {
            assertThat(client.searchStudies(QidoQuery.all())).isEmpty();
        }
        server.verify(2, postRequestedFor(urlPathEqualTo(TOKEN)));
        server.verify(2, getRequestedFor(urlPathEqualTo(STUDIES)));
    }

    @Test
    void aSecond401IsReportedNotLoopedOn() {
        tokenIs("never-good", 3600);
        server.stubFor(get(urlPathEqualTo(STUDIES)).willReturn(aResponse().withStatus(401).withBody("token rejected")));

        try (DicomWebClient client = client(credentials())) {
            assertThatThrownBy(() -> client.searchStudies(QidoQuery.all()))
                    .asInstanceOf(type(DicomWebStatusException.class))
                    .satisfies(e -> {
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.getMessage()).contains("HTTP 401 from " + server.baseUrl() + STUDIES, "token rejected");
                    });
        }
        server.verify(2, postRequestedFor(urlPathEqualTo(TOKEN)));
        server.verify(2, getRequestedFor(urlPathEqualTo(STUDIES)));
    }

    @Test
    void aRefusingTokenEndpointIsAnAuthenticationErrorNamingIt() {
        server.stubFor(post(urlPathEqualTo(TOKEN)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"invalid_client\"}")));

        try (DicomWebClient client = client(credentials())) {
            assertThatThrownBy(() -> client.searchStudies(QidoQuery.all()))
                    .asInstanceOf(type(DicomWebAuthenticationException.class))
                    .satisfies(e -> {
                        assertThat(e.url()).isEqualTo(server.baseUrl() + TOKEN);
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.getMessage()).startsWith("OAuth2 token request failed: HTTP 401 from "
                                + server.baseUrl() + TOKEN).contains("invalid_client").doesNotContain("s3cret");
                    });
        }
        server.verify(1, postRequestedFor(urlPathEqualTo(TOKEN)));
        server.verify(0, getRequestedFor(urlPathEqualTo(STUDIES)));
    }

    @Test
    void aTokenResponseWithoutATokenIsAClearError() {
        server.stubFor(post(urlPathEqualTo(TOKEN)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"token_type\":\"bearer\"}")));

        try (DicomWebClient client = client(credentials())) {
            assertThatThrownBy(() -> client.searchStudies(QidoQuery.all()))
                    .isInstanceOf(DicomWebAuthenticationException.class)
                    .hasMessageContaining("no access_token");
        }
    }

    @Test
    void credentialsNeverAppearInToString() {
        DicomWebEndpoint endpoint = DicomWebEndpoint.of("https://pacs/dicom-web").withOAuth2(credentials());

        assertThat(endpoint.toString()).contains("OAUTH2_CLIENT_CREDENTIALS").doesNotContain("s3cret");
        assertThat(credentials().toString()).contains("groundflow").doesNotContain("s3cret");
        assertThat(endpoint.authorizationHeader()).isEmpty();
        assertThatThrownBy(() -> OAuth2ClientCredentials.of("ftp://sso/token", "id", "secret"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokenUri");
    }
}
