package org.groundflow.fhir.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetriesTest {

    @Test
    void backOffDoublesUpToItsCap() {
        Retries retries = Retries.of(6, Duration.ofMillis(250), Duration.ofSeconds(1));

        assertThat(retries.backoff(1)).isEqualTo(Duration.ofMillis(250));
        assertThat(retries.backoff(2)).isEqualTo(Duration.ofMillis(500));
        assertThat(retries.backoff(3)).isEqualTo(Duration.ofSeconds(1));
        assertThat(retries.backoff(5)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void noneIsOneTry() {
        assertThat(Retries.none().maxAttempts()).isEqualTo(1);
        assertThat(FhirEndpoint.of("https://ehr.example/fhir").retries()).isEqualTo(Retries.none());
    }

    @Test
    void badValuesAreNamed() {
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> Retries.of(0, Duration.ZERO, Duration.ZERO))).hasMessage("maxAttempts must be 1..10, got 0");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> Retries.of(3, Duration.ofSeconds(2), Duration.ofSeconds(1))))
                .hasMessage("backoffs must satisfy 0 <= initialBackoff <= maxBackoff, got PT2S and PT1S");
    }

    @Test
    void retryAfterIsReadInSecondsOrAsAnHttpDate() {
        Instant now = Instant.parse("2024-03-16T09:30:00Z");

        assertThat(PublicationFailures.parseRetryAfter("7", now)).contains(Duration.ofSeconds(7));
        assertThat(PublicationFailures.parseRetryAfter("Sat, 16 Mar 2024 09:30:30 GMT", now))
                .contains(Duration.ofSeconds(30));
        assertThat(PublicationFailures.parseRetryAfter("soon", now)).isEmpty();
    }

    @Test
    void endpointDescribesItsSettingsWithoutSecrets() {
        FhirEndpoint endpoint = FhirEndpoint.of("https://ehr.example/fhir")
                .withTrustStore(TrustStore.pkcs12(Path.of("/etc/groundflow/trust.p12"), "s3cret"))
                .withRetries(Retries.of(3, Duration.ofSeconds(1), Duration.ofSeconds(8)));

        assertThat(endpoint.toString()).contains("trustStore=/etc/groundflow/trust.p12", "maxAttempts=3")
                .doesNotContain("s3cret");
        assertThat(endpoint.trustStore().toString()).doesNotContain("s3cret");
    }
}
