package org.groundflow.fhir;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to reach the FHIR server: its base URL, an optional bearer token and the timeouts of one request.
 * Build with {@link #of(String)} and derive changed copies with the {@code with...} methods.
 *
 * @param baseUrl        the server's base URL (http or https, no query), without a trailing slash
 * @param bearerToken    sent as {@code Authorization: Bearer ...}; null for none
 * @param connectTimeout time to open a connection (and to wait for a pooled one)
 * @param readTimeout    time to wait for data once connected
 */
public record FhirEndpoint(String baseUrl, String bearerToken, Duration connectTimeout, Duration readTimeout) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

    public FhirEndpoint {
        baseUrl = httpUrl(baseUrl);
        if (bearerToken != null && (bearerToken.isBlank() || !bearerToken.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            throw new IllegalArgumentException("bearerToken must be visible ASCII without spaces (or null for none)");
        }
        connectTimeout = positiveMillis("connectTimeout", connectTimeout);
        readTimeout = positiveMillis("readTimeout", readTimeout);
    }

    /** An endpoint without a token and with the default timeouts. */
    public static FhirEndpoint of(String baseUrl) {
        return new FhirEndpoint(baseUrl, null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
    }

    public FhirEndpoint withBearerToken(String token) {
        return new FhirEndpoint(baseUrl, token, connectTimeout, readTimeout);
    }

    public FhirEndpoint withTimeouts(Duration connect, Duration read) {
        return new FhirEndpoint(baseUrl, bearerToken, connect, read);
    }

    public Optional<String> token() {
        return Optional.ofNullable(bearerToken);
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "FhirEndpoint[baseUrl=" + baseUrl + ", bearerToken=" + (bearerToken == null ? "none" : "***")
                + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + "]";
    }

    private static String httpUrl(String url) {
        Objects.requireNonNull(url, "baseUrl");
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("baseUrl must be a URL, got '" + url + "': " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL with a host, got '" + url + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("baseUrl must have no query, fragment or user info, got '" + url + "'");
        }
        String normalised = uri.toString();
        return normalised.endsWith("/") ? normalised.substring(0, normalised.length() - 1) : normalised;
    }

    private static Duration positiveMillis(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero() || value.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be positive and at most " + Integer.MAX_VALUE
                    + " ms, got " + value);
        }
        return value;
    }
}
