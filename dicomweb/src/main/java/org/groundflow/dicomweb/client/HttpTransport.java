package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.DicomWebAuthenticationException;
import org.groundflow.dicomweb.DicomWebException;
import org.groundflow.dicomweb.DicomWebStatusException;
import org.groundflow.dicomweb.DicomWebTransportException;
import org.groundflow.dicomweb.transport.AccessTokens;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that sends DICOMweb requests: one shared Apache HttpClient 5, TLS trust, authentication (static or
 * OAuth2), status checks and mapping of failures onto the module's exceptions. A request is sent once and repeated
 * only (a) once when the connection was refused, so nothing of it reached the server, and (b) once with a new token
 * when an OAuth2 token is refused with 401. Error statuses (5xx included), timeouts and failures while reading are
 * never repeated here: the caller's retry policy (in Groundflow, the process engine's retry cycle) decides, so one
 * dead server costs that policy's number of calls, not a product of two.
 */
final class HttpTransport implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(HttpTransport.class);
    private static final int EXCERPT_BYTES = 2048;
    private static final String USER_AGENT = "groundflow-dicomweb";
    /** Query parameters that carry no patient data. */
    private static final java.util.Set<String> QIDO_PARAMETERS = java.util.Set.of("includefield", "limit", "offset",
            "fuzzymatching");

    /** Reads a response whose status the call accepts. Local failures (disk) must not surface as IOException. */
    @FunctionalInterface
    interface ResponseReader<T> {
        T read(Response response) throws IOException;
    }

    /** What a reader sees of a response: no HttpClient types. Header names are lower case. */
    record Response(String url, int status, String contentType, InputStream body, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final DicomWebEndpoint endpoint;
    private final CloseableHttpClient client;
    private final AccessTokens<IOException> tokens;

    HttpTransport(DicomWebEndpoint endpoint) {
        this(endpoint, Clock.systemUTC());
    }

    HttpTransport(DicomWebEndpoint endpoint, Clock clock) {
        this.endpoint = endpoint;
        ConnectionConfig connection = ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(endpoint.connectTimeout()))
                .setSocketTimeout(Timeout.of(endpoint.readTimeout()))
                // a server or proxy may drop idle connections unannounced: check a pooled one before reusing it
                .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                .build();
        PoolingHttpClientConnectionManagerBuilder connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDefaultConnectionConfig(connection)
                .setMaxConnTotal(32)
                .setMaxConnPerRoute(16);
        endpoint.trustStore().ifPresent(store -> connections.setTlsSocketStrategy(
                new DefaultClientTlsStrategy(store.sslContext())));
        this.client = HttpClients.custom()
                .setConnectionManager(connections.build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(endpoint.readTimeout()))
                        .build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .setUserAgent(USER_AGENT)
                .build();
        this.tokens = endpoint.oauth2()
                .map(credentials -> new AccessTokens<>(new ClientCredentialsTokens(credentials, client)::request, clock))
                .orElse(null);
    }

    /** A GET; 2xx is handed to the reader. */
    <T> T get(URI uri, String accept, ResponseReader<T> reader) {
        return execute("GET", uri, accept, null, status -> status >= 200 && status < 300, reader);
    }

    /** A POST; statuses that {@code accepted} allows are handed to the reader. */
    <T> T post(URI uri, String accept, HttpEntity body, IntPredicate accepted, ResponseReader<T> reader) {
        return execute("POST", uri, accept, body, accepted, reader);
    }

    private <T> T execute(String method, URI uri, String accept, HttpEntity body, IntPredicate accepted,
                          ResponseReader<T> reader) {
        String url = withoutQuery(uri);
        List<String> secrets = queryValues(uri);
        List<DicomWebException> earlier = new ArrayList<>();
        boolean reconnected = false;
        boolean tokenRenewed = false;
        while (true) {
            String token = null;
            DicomWebException failure;
            long started = System.nanoTime();
            try {
                token = tokens == null ? null : tokens.token();
                String authorization = token != null ? "Bearer " + token : endpoint.authorizationHeader().orElse(null);
                T result = client.execute(request(method, uri, accept, body, authorization),
                        response -> handle(url, response, accepted, reader, secrets));
                log.debug("{} {} done in {} ms", method, url, elapsedMillis(started));
                return result;
            } catch (DicomWebStatusException e) {
                failure = e;
            } catch (IOException e) {
                failure = transportFailure(url, e);
                if (isRefusedConnection(e) && !reconnected) {
                    log.info("{} {}: connection refused; trying once more", method, url);
                    reconnected = true;
                    earlier.add(failure);
                    continue;
                }
            }
            if (isRefusedToken(failure) && !tokenRenewed && (body == null || body.isRepeatable())) {
                log.info("{} {} answered 401; fetching a new OAuth2 token and repeating once", method, url);
                tokens.invalidate(token);
                tokenRenewed = true;
                earlier.add(failure);
                continue;
            }
            earlier.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    /** Connecting failed before any byte was sent (not a connect timeout, which may be a server too busy to accept). */
    private static boolean isRefusedConnection(IOException e) {
        return e instanceof ConnectException;
    }

    private boolean isRefusedToken(DicomWebException failure) {
        return tokens != null && failure instanceof DicomWebStatusException status
                && !(failure instanceof DicomWebAuthenticationException) && status.status() == 401;
    }

    private static ClassicHttpRequest request(String method, URI uri, String accept, HttpEntity body,
                                              String authorization) {
        ClassicRequestBuilder builder = ClassicRequestBuilder.create(method).setUri(uri).addHeader("Accept", accept);
        if (authorization != null) {
            builder.addHeader("Authorization", authorization);
        }
        if (body != null) {
            builder.setEntity(body);
        }
        return builder.build();
    }

    private static <T> T handle(String url, ClassicHttpResponse response, IntPredicate accepted,
                                ResponseReader<T> reader, List<String> secrets) throws IOException {
        int status = response.getCode();
        HttpEntity entity = response.getEntity();
        if (!accepted.test(status)) {
            throw new DicomWebStatusException(url, status, redact(excerpt(entity), secrets));
        }
        String contentType = entity == null ? null : entity.getContentType();
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : response.getHeaders()) {
            headers.putIfAbsent(header.getName().toLowerCase(Locale.ROOT), header.getValue());
        }
        InputStream body = entity == null ? InputStream.nullInputStream() : entity.getContent();
        try (InputStream in = body) {
            return reader.read(new Response(url, status, contentType, in, headers));
        }
    }

    /** The start of a response body, for error messages. */
    static String excerpt(HttpEntity entity) {
        if (entity == null) {
            return "";
        }
        try (InputStream in = entity.getContent()) {
            return new String(in.readNBytes(EXCERPT_BYTES), StandardCharsets.UTF_8);
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    static DicomWebTransportException transportFailure(String url, IOException e) {
        boolean timeout = e instanceof InterruptedIOException;
        String reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        if (e instanceof SSLHandshakeException) {
            return new DicomWebTransportException(url, false, false, "TLS handshake failed (" + reason
                    + "); is the server's certificate in the endpoint's trust store?", e);
        }
        if (e instanceof SSLException) {
            return new DicomWebTransportException(url, false, false, "TLS failure (" + reason + ")", e);
        }
        return new DicomWebTransportException(url, timeout, reason, e);
    }

    /** The URL as messages and logs show it: query strings may carry patient data (match keys), so they go. */
    static String withoutQuery(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    /** The values of a request's query parameters: a server may echo them (a patient's name) in its error body. */
    private static List<String> queryValues(URI uri) {
        List<String> values = new ArrayList<>();
        String query = uri.getRawQuery();
        if (query == null) {
            return values;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (eq >= 0 && !QIDO_PARAMETERS.contains(name)) {
                String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (value.length() >= 2) {
                    values.add(value);
                }
            }
        }
        values.sort(Comparator.comparingInt(String::length).reversed());
        return values;
    }

    static String redact(String message, List<String> secrets) {
        String result = message;
        for (String secret : secrets) {
            result = result.replace(secret, "***");
        }
        return result;
    }

    private static long elapsedMillis(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    @Override
    public void close() {
        client.close(CloseMode.GRACEFUL);
    }
}
