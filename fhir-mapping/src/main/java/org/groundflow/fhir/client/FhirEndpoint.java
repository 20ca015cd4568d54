package org.groundflow.fhir.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.groundflow.dicomweb.transport.TrustStore;

/**
 * Where and how to reach a FHIR server: its base URL, how to authenticate (none, a static bearer token, or SMART
 * Backend Services), which TLS certificates to trust and the timeouts of one request. There are no retry settings: a
 * publisher repeats only a refused connection, once (see {@link FhirPublisher}). Build with {@link #of(String)} and
 * derive changed copies with the {@code with...} methods.
 *
 * @param baseUrl        the server's base URL (http or https, no query), without a trailing slash
 * @param bearerToken    a static token sent as {@code Authorization: Bearer ...}; null for none
 * @param smart          SMART Backend Services client credentials; null for none (at most one of token and smart)
 * @param trustStore     the certificates to trust for https; null for the JVM's default trust store
 * @param connectTimeout time to open a connection (and to wait for a pooled one)
 * @param readTimeout    time to wait for data once connected
 */
public record FhirEndpoint(String baseUrl, String bearerToken, SmartBackendServices smart, TrustStore trustStore,
                           Duration connectTimeout, Duration readTimeout) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

    public FhirEndpoint {
        baseUrl = httpUrl(baseUrl);
        if (bearerToken != null && (bearerToken.isBlank() || !bearerToken.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            throw new IllegalArgumentException("bearerToken must be visible ASCII without spaces (or null for none)");
        }
        if (bearerToken != null && smart != null) {
            throw new IllegalArgumentException("exactly one of bearerToken and smart may be set, got both");
        }
        connectTimeout = positiveMillis("connectTimeout", connectTimeout);
        readTimeout = positiveMillis("readTimeout", readTimeout);
    }

    /** An endpoint without authentication, with the default timeouts and the JVM's trust store. */
    public static FhirEndpoint of(String baseUrl) {
        return new FhirEndpoint(baseUrl, null, null, null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
    }

    /** Authenticates with a static bearer token (replaces SMART credentials). */
    public FhirEndpoint withBearerToken(String token) {
        return new FhirEndpoint(baseUrl, token, null, trustStore, connectTimeout, readTimeout);
    }

    /** Authenticates with SMART Backend Services (replaces a static token). */
    public FhirEndpoint withSmartBackendServices(SmartBackendServices credentials) {
        return new FhirEndpoint(baseUrl, null, Objects.requireNonNull(credentials, "credentials"), trustStore,
                connectTimeout, readTimeout);
    }

    /** Trusts the certificates in this store (for the FHIR server and the SMART token endpoint). */
    public FhirEndpoint withTrustStore(TrustStore store) {
        return new FhirEndpoint(baseUrl, bearerToken, smart, Objects.requireNonNull(store, "store"), connectTimeout,
                readTimeout);
    }

    public FhirEndpoint withTimeouts(Duration connect, Duration read) {
        return new FhirEndpoint(baseUrl, bearerToken, smart, trustStore, connect, read);
    }

    public Optional<String> token() {
        return Optional.ofNullable(bearerToken);
    }

    /** Never shows the token or a key. */
    @Override
    public String toString() {
        return "FhirEndpoint[baseUrl=" + baseUrl + ", auth=" + (bearerToken != null ? "bearerToken=***"
                : smart != null ? "smart(" + smart.clientId() + " at " + smart.tokenUrl() + ")" : "none")
                + ", trustStore=" + (trustStore == null ? "default" : trustStore.file())
                + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + "]";
    }

    static String httpUrl(String url) {
        return httpUrl("baseUrl", url);
    }

    static String httpUrl(String name, String url) {
        Objects.requireNonNull(url, name);
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + " must be a URL, got '" + url + "': " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException(name + " must be an absolute http(s) URL with a host, got '" + url + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(name + " must have no query, fragment or user info, got '" + url + "'");
        }
        String normalised = uri.toString();
        return normalised.endsWith("/") ? normalised.substring(0, normalised.length() - 1) : normalised;
    }

    static Duration positiveMillis(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero() || value.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be positive and at most " + Integer.MAX_VALUE
                    + " ms, got " + value);
        }
        return value;
    }
}
