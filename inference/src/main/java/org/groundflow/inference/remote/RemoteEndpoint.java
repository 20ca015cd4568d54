package org.groundflow.inference.remote;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a model server listens (inference/remote/CONTRACT.md) and how to talk to it: connect and read timeouts, an
 * optional bearer token and an optional task prompt. Immutable: {@code with...} returns a changed copy.
 *
 * @param baseUrl        the server's base URL, e.g. {@code http://gpu-host:8600}; the client adds {@code /v1/...}
 * @param connectTimeout time allowed to open the connection
 * @param readTimeout    time allowed for one whole answer (a large model on a long series takes minutes)
 */
public record RemoteEndpoint(URI baseUrl, Duration connectTimeout, Duration readTimeout, String bearerToken,
                             String prompt) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofMinutes(10);

    public RemoteEndpoint {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String scheme = baseUrl.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("baseUrl must be an http or https URL, got '" + baseUrl + "'");
        }
        if (baseUrl.getHost() == null || baseUrl.getQuery() != null || baseUrl.getFragment() != null) {
            throw new IllegalArgumentException("baseUrl must name a host and have no query or fragment, got '"
                    + baseUrl + "'");
        }
        positive(connectTimeout, "connectTimeout");
        positive(readTimeout, "readTimeout");
        if (bearerToken != null && bearerToken.isBlank()) {
            throw new IllegalArgumentException("bearerToken must not be blank when given");
        }
        if (prompt != null && prompt.isBlank()) {
            throw new IllegalArgumentException("prompt must not be blank when given");
        }
    }

    /** An endpoint with the default timeouts, no token and the default prompt. */
    public static RemoteEndpoint of(String baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        try {
            String trimmed = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
            return new RemoteEndpoint(new URI(trimmed), DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("baseUrl is not a valid URL: '" + baseUrl + "' (" + e.getReason() + ")", e);
        }
    }

    public RemoteEndpoint withConnectTimeout(Duration timeout) {
        return new RemoteEndpoint(baseUrl, timeout, readTimeout, bearerToken, prompt);
    }

    public RemoteEndpoint withReadTimeout(Duration timeout) {
        return new RemoteEndpoint(baseUrl, connectTimeout, timeout, bearerToken, prompt);
    }

    public RemoteEndpoint withBearerToken(String token) {
        return new RemoteEndpoint(baseUrl, connectTimeout, readTimeout, Objects.requireNonNull(token, "token"), prompt);
    }

    /** The task prompt sent with every series; without one the client asks for every label of the model's card. */
    public RemoteEndpoint withPrompt(String text) {
        return new RemoteEndpoint(baseUrl, connectTimeout, readTimeout, bearerToken, Objects.requireNonNull(text, "prompt"));
    }

    public Optional<String> token() {
        return Optional.ofNullable(bearerToken);
    }

    URI resolve(String path) {
        return URI.create(baseUrl.toString() + path);
    }

    @Override
    public String toString() {
        return "RemoteEndpoint[" + baseUrl + ", connect " + connectTimeout + ", read " + readTimeout
                + (bearerToken == null ? "" : ", bearer token") + "]"; // never print the token
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
