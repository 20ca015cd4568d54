package org.groundflow.fhir.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.groundflow.dicomweb.transport.TrustStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FhirEndpointTest {

    @Test
    void ofUsesDefaultsAndNoToken() {
        FhirEndpoint endpoint = FhirEndpoint.of("https://ehr.example/fhir/");

        assertThat(endpoint.baseUrl()).isEqualTo("https://ehr.example/fhir");
        assertThat(endpoint.token()).isEmpty();
        assertThat(endpoint.connectTimeout()).isEqualTo(FhirEndpoint.DEFAULT_CONNECT_TIMEOUT);
        assertThat(endpoint.readTimeout()).isEqualTo(FhirEndpoint.DEFAULT_READ_TIMEOUT);
    }

    @Test
    void withMethodsDeriveChangedCopies() {
        FhirEndpoint base = FhirEndpoint.of("https://ehr.example/fhir");

        FhirEndpoint changed = base.withBearerToken("abc.def").withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2));

        assertThat(changed.token()).contains("abc.def");
        assertThat(changed.readTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(base.token()).isEmpty();
    }

    @Test
    void toStringHidesTheToken() {
        assertThat(FhirEndpoint.of("https://ehr.example/fhir").withBearerToken("s3cret").toString())
                .doesNotContain("s3cret").contains("bearerToken=***");
    }

    @Test
    void endpointDescribesItsSettingsWithoutSecrets(@TempDir Path dir) throws IOException {
        Path store = Files.writeString(dir.resolve("trust.p12"), "x");
        FhirEndpoint endpoint = FhirEndpoint.of("https://ehr.example/fhir").withTrustStore(TrustStore.of(store, "s3cret"));

        assertThat(endpoint.toString()).contains("trustStore=" + store).doesNotContain("s3cret", "retr");
        assertThat(endpoint.trustStore().toString()).doesNotContain("s3cret");
    }

    @Test
    void badValuesAreNamed() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> FhirEndpoint.of("ehr.example/fhir")))
                .hasMessage("baseUrl must be an absolute http(s) URL with a host, got 'ehr.example/fhir'");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> FhirEndpoint.of("https://ehr.example/fhir").withBearerToken("a b")))
                .hasMessage("bearerToken must be visible ASCII without spaces (or null for none)");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> FhirEndpoint.of("https://ehr.example/fhir").withTimeouts(Duration.ZERO, Duration.ofSeconds(1))))
                .hasMessage("connectTimeout must be positive and at most 2147483647 ms, got PT0S");
    }
}
