package org.groundflow.dicomweb;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to reach a DICOMweb service: the base URL of its root (the part before {@code /studies}),
 * authentication, timeouts and the retry policy for idempotent requests. Immutable; each {@code with...} returns a
 * changed copy. {@link #toString()} never shows credentials.
 *
 * <pre>{@code
 * DicomWebEndpoint pacs = DicomWebEndpoint.of("http://127.0.0.1:8042/dicom-web")
 *         .withBearerToken(token)
 *         .withReadTimeout(Duration.ofMinutes(2));
 * }</pre>
 */
public final class DicomWebEndpoint {

    /** How requests authenticate. */
    public enum AuthScheme { NONE, BASIC, BEARER }

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);

    private final URI baseUri;
    private final AuthScheme authScheme;
    private final String authorization;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final int maxAttempts;
    private final Duration initialBackoff;

    private DicomWebEndpoint(URI baseUri, AuthScheme authScheme, String authorization, Duration connectTimeout,
                             Duration readTimeout, int maxAttempts, Duration initialBackoff) {
        this.baseUri = baseUri;
        this.authScheme = authScheme;
        this.authorization = authorization;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
    }

    /**
     * An endpoint without authentication and with default timeouts and retries.
     *
     * @param baseUrl absolute http(s) URL of the DICOMweb root, e.g. {@code http://127.0.0.1:8042/dicom-web};
     *                a trailing slash is removed; no query or fragment
     */
    public static DicomWebEndpoint of(String baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        URI uri;
        try {
            uri = new URI(baseUrl.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("baseUrl must be a valid URL, got: " + baseUrl, e);
        }
        String scheme = uri.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("baseUrl must use http or https, got: " + baseUrl);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must name a host, got: " + baseUrl);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("baseUrl must not carry a query, fragment or user info, got: " + redact(uri));
        }
        String text = uri.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return new DicomWebEndpoint(URI.create(text), AuthScheme.NONE, null, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_READ_TIMEOUT, DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF);
    }

    public DicomWebEndpoint withoutAuthentication() {
        return new DicomWebEndpoint(baseUri, AuthScheme.NONE, null, connectTimeout, readTimeout, maxAttempts, initialBackoff);
    }

    public DicomWebEndpoint withBasicAuth(String user, String password) {
        requireText(user, "user");
        Objects.requireNonNull(password, "password");
        if (user.contains(":")) {
            throw new IllegalArgumentException("user must not contain ':' (HTTP Basic)");
        }
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new DicomWebEndpoint(baseUri, AuthScheme.BASIC, "Basic " + token, connectTimeout, readTimeout,
                maxAttempts, initialBackoff);
    }

    public DicomWebEndpoint withBearerToken(String token) {
        requireText(token, "token");
        if (token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException("token must be printable ASCII without spaces");
        }
        return new DicomWebEndpoint(baseUri, AuthScheme.BEARER, "Bearer " + token, connectTimeout, readTimeout,
                maxAttempts, initialBackoff);
    }

    public DicomWebEndpoint withConnectTimeout(Duration timeout) {
        return new DicomWebEndpoint(baseUri, authScheme, authorization, requirePositive(timeout, "connectTimeout"),
                readTimeout, maxAttempts, initialBackoff);
    }

    /** Longest silence while waiting for or reading a response (socket timeout). */
    public DicomWebEndpoint withReadTimeout(Duration timeout) {
        return new DicomWebEndpoint(baseUri, authScheme, authorization, connectTimeout,
                requirePositive(timeout, "readTimeout"), maxAttempts, initialBackoff);
    }

    /**
     * Retry policy for idempotent requests (GET): at most {@code maxAttempts} attempts in all, waiting
     * {@code initialBackoff}, then twice that, and so on (or what the server's Retry-After asks, capped).
     * {@code maxAttempts} 1 turns retries off. Non-idempotent requests (STOW-RS) are never retried.
     */
    public DicomWebEndpoint withRetries(int maxAttempts, Duration initialBackoff) {
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("maxAttempts must be between 1 and 10, got " + maxAttempts);
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        if (initialBackoff.isNegative()) {
            throw new IllegalArgumentException("initialBackoff must not be negative, got " + initialBackoff);
        }
        return new DicomWebEndpoint(baseUri, authScheme, authorization, connectTimeout, readTimeout, maxAttempts,
                initialBackoff);
    }

    public URI baseUri() {
        return baseUri;
    }

    public AuthScheme authScheme() {
        return authScheme;
    }

    /** The value of the Authorization header, empty without authentication. */
    public Optional<String> authorizationHeader() {
        return Optional.ofNullable(authorization);
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DicomWebEndpoint e && baseUri.equals(e.baseUri) && authScheme == e.authScheme
                && Objects.equals(authorization, e.authorization) && connectTimeout.equals(e.connectTimeout)
                && readTimeout.equals(e.readTimeout) && maxAttempts == e.maxAttempts
                && initialBackoff.equals(e.initialBackoff);
    }

    @Override
    public int hashCode() {
        return Objects.hash(baseUri, authScheme, authorization, connectTimeout, readTimeout, maxAttempts, initialBackoff);
    }

    @Override
    public String toString() {
        return "DicomWebEndpoint[" + baseUri + ", auth=" + authScheme + ", connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout + ", maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff + "]";
    }

    private static String redact(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getRawPath();
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    private static Duration requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }
}
