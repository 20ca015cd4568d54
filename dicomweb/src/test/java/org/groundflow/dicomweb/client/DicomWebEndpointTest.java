package org.groundflow.dicomweb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.groundflow.dicomweb.transport.TrustStore;

import org.junit.jupiter.api.Test;

class DicomWebEndpointTest {

    private static final DicomWebEndpoint PACS = DicomWebEndpoint.of("http://127.0.0.1:8042/dicom-web");

    @Test
    void defaultsAndTrailingSlash() {
        DicomWebEndpoint endpoint = DicomWebEndpoint.of("https://pacs.example/dicom-web//");

        assertThat(endpoint.baseUri()).hasToString("https://pacs.example/dicom-web");
        assertThat(endpoint.authScheme()).isEqualTo(DicomWebEndpoint.AuthScheme.NONE);
        assertThat(endpoint.authorizationHeader()).isEmpty();
        assertThat(endpoint.connectTimeout()).isEqualTo(DicomWebEndpoint.DEFAULT_CONNECT_TIMEOUT);
        assertThat(endpoint.toString()).doesNotContain("attempt", "backoff");
    }

    @Test
    void withMethodsReturnChangedCopies() {
        DicomWebEndpoint changed = PACS.withReadTimeout(Duration.ofSeconds(5)).withConnectTimeout(Duration.ofSeconds(2));

        assertThat(PACS.readTimeout()).isEqualTo(DicomWebEndpoint.DEFAULT_READ_TIMEOUT);
        assertThat(changed.readTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(changed.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(changed).isNotEqualTo(PACS);
        assertThat(changed.withReadTimeout(DicomWebEndpoint.DEFAULT_READ_TIMEOUT)
                .withConnectTimeout(DicomWebEndpoint.DEFAULT_CONNECT_TIMEOUT)).isEqualTo(PACS);
    }

    @Test
    void credentialsBecomeHeadersButNeverAppearInToString() {
        DicomWebEndpoint basic = PACS.withBasicAuth("gf", "s3cret");
        DicomWebEndpoint bearer = PACS.withBearerToken("tok3n");

        assertThat(basic.authorizationHeader()).hasValue("Basic Z2Y6czNjcmV0");
        assertThat(bearer.authorizationHeader()).hasValue("Bearer tok3n");
        assertThat(basic.toString()).contains("BASIC").doesNotContain("s3cret").doesNotContain("Z2Y6");
        assertThat(bearer.toString()).contains("BEARER").doesNotContain("tok3n");
        assertThat(bearer.withoutAuthentication().authorizationHeader()).isEmpty();
    }

    @Test
    void profilesAreChosenByNameOrByFactory() {
        assertThat(PACS.profile()).isEqualTo(ServerProfile.GENERIC);
        assertThat(DicomWebEndpoint.orthanc("http://127.0.0.1:8042/").baseUri()).hasToString("http://127.0.0.1:8042/dicom-web");
        assertThat(DicomWebEndpoint.orthanc("http://127.0.0.1:8042").profile()).isEqualTo(ServerProfile.ORTHANC);
        assertThat(PACS.withProfile(ServerProfile.named(" Orthanc ")).profile()).isEqualTo(ServerProfile.ORTHANC);
        assertThat(ServerProfile.named("dcm4chee-arc").reject()).isTrue();
        assertThat(ServerProfile.ORTHANC.includeFieldAll()).isFalse();
        assertThat(ServerProfile.ORTHANC.withPageSize(500).pageSize()).isEqualTo(500);
        assertThatThrownBy(() -> ServerProfile.named("conquest"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("server profile must be one of [orthanc, dcm4chee-arc, generic], got: conquest");
    }

    @Test
    void transferSyntaxesDefaultToTheServersChoice() {
        assertThat(PACS.transferSyntaxes()).isEqualTo(TransferSyntaxPreference.uncompressedOrAsStored());
        assertThat(PACS.withTransferSyntaxes(TransferSyntaxPreference.asStored()).transferSyntaxes().uids()).containsExactly("*");
    }

    @Test
    void theTrustStorePathIsShownButNotItsPassword(@org.junit.jupiter.api.io.TempDir java.nio.file.Path temp) throws Exception {
        java.nio.file.Path store = java.nio.file.Files.writeString(temp.resolve("trust.p12"), "x");
        DicomWebEndpoint endpoint = PACS.withTrustStore(TrustStore.of(store, "hunter2"));

        assertThat(endpoint.trustStore()).hasValue(TrustStore.of(store, "hunter2"));
        assertThat(endpoint.toString()).contains("trust.p12").doesNotContain("hunter2");
    }

    @Test
    void rejectsUnusableBaseUrls() {
        assertThatThrownBy(() -> DicomWebEndpoint.of("ftp://pacs/dicom-web"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http or https");
        assertThatThrownBy(() -> DicomWebEndpoint.of("http://pacs/dicom-web?x=1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query");
        assertThatThrownBy(() -> DicomWebEndpoint.of("http://user:pw@pacs/dicom-web"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("pw");
        assertThatThrownBy(() -> DicomWebEndpoint.of("/dicom-web"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http or https");
        assertThatThrownBy(() -> DicomWebEndpoint.of("http://pa cs/"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("valid URL");
    }

    @Test
    void rejectsBadSettings() {
        assertThatThrownBy(() -> PACS.withConnectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("connectTimeout must be positive, got PT0S");
        assertThatThrownBy(() -> PACS.withBasicAuth("a:b", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("':'");
        assertThatThrownBy(() -> PACS.withBearerToken("has space"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token");
    }
}
