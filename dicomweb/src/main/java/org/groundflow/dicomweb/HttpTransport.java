package org.groundflow.dicomweb;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that sends DICOMweb requests: one shared Apache HttpClient 5, authentication, status checks,
 * mapping of failures onto the module's exceptions, and the only retry loop (idempotent GETs only).
 */
final class HttpTransport implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(HttpTransport.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final int EXCERPT_BYTES = 2048;
    private static final String USER_AGENT = "groundflow-dicomweb";

    /** Reads a response whose status the call accepts. Local failures (disk) must not surface as IOException. */
    @FunctionalInterface
    interface ResponseReader<T> {
        T read(Response response) throws IOException;
    }

    /** What a reader sees of a response: no HttpClient types. */
    record Response(String url, int status, String contentType, InputStream body) {
    }

    private final DicomWebEndpoint endpoint;
    private final CloseableHttpClient client;

    HttpTransport(DicomWebEndpoint endpoint) {
        this.endpoint = endpoint;
        ConnectionConfig connection = ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(endpoint.connectTimeout()))
                .setSocketTimeout(Timeout.of(endpoint.readTimeout()))
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(connection)
                        .setMaxConnTotal(32)
                        .setMaxConnPerRoute(16)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(endpoint.readTimeout()))
                        .build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .setUserAgent(USER_AGENT)
                .build();
    }

    /** An idempotent GET, retried on transport failures and transient statuses; 2xx is handed to the reader. */
    <T> T get(URI uri, String accept, ResponseReader<T> reader) {
        return execute(uri, accept, null, status -> status >= 200 && status < 300, reader);
    }

    /** A POST, never retried; statuses that {@code accepted} allows are handed to the reader. */
    <T> T post(URI uri, String accept, HttpEntity body, IntPredicate accepted, ResponseReader<T> reader) {
        return execute(uri, accept, body, accepted, reader);
    }

    private <T> T execute(URI uri, String accept, HttpEntity body, IntPredicate accepted, ResponseReader<T> reader) {
        boolean idempotent = body == null;
        String method = idempotent ? "GET" : "POST";
        int maxAttempts = idempotent ? endpoint.maxAttempts() : 1;
        String url = withoutQuery(uri);
        List<DicomWebException> earlier = new ArrayList<>();
        for (int attempt = 1; ; attempt++) {
            Duration[] retryAfter = {null};
            DicomWebException failure;
            long started = System.nanoTime();
            try {
                T result = client.execute(request(method, uri, accept, body),
                        response -> handle(url, response, accepted, reader, retryAfter));
                log.debug("{} {} done in {} ms (attempt {})", method, url, elapsedMillis(started), attempt);
                return result;
            } catch (DicomWebStatusException e) {
                failure = e;
            } catch (IOException e) {
                failure = transportFailure(url, e);
            }
            if (!shouldRetry(failure, attempt, maxAttempts)) {
                earlier.forEach(failure::addSuppressed);
                throw failure;
            }
            Duration wait = backoff(attempt, retryAfter[0]);
            log.warn("{} {} failed (attempt {} of {}), retrying in {} ms: {}", method, url, attempt, maxAttempts,
                    wait.toMillis(), failure.getMessage());
            earlier.add(failure);
            pause(wait, url, failure);
        }
    }

    private static boolean shouldRetry(DicomWebException failure, int attempt, int maxAttempts) {
        if (attempt >= maxAttempts) {
            return false;
        }
        if (failure instanceof DicomWebStatusException status) {
            return status.isTransient();
        }
        return failure instanceof DicomWebTransportException;
    }

    private Duration backoff(int attempt, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : retryAfter;
        }
        Duration wait = endpoint.initialBackoff().multipliedBy(1L << Math.min(attempt - 1, 10));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    private static void pause(Duration wait, String url, DicomWebException failure) {
        try {
            TimeUnit.MILLISECONDS.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            DicomWebTransportException interrupted = new DicomWebTransportException(url, false,
                    "interrupted while waiting to retry", e);
            interrupted.addSuppressed(failure);
            throw interrupted;
        }
    }

    private ClassicHttpRequest request(String method, URI uri, String accept, HttpEntity body) {
        ClassicRequestBuilder builder = ClassicRequestBuilder.create(method).setUri(uri).addHeader("Accept", accept);
        endpoint.authorizationHeader().ifPresent(value -> builder.addHeader("Authorization", value));
        if (body != null) {
            builder.setEntity(body);
        }
        return builder.build();
    }

    private static <T> T handle(String url, ClassicHttpResponse response, IntPredicate accepted,
                                ResponseReader<T> reader, Duration[] retryAfter) throws IOException {
        int status = response.getCode();
        HttpEntity entity = response.getEntity();
        if (!accepted.test(status)) {
            retryAfter[0] = retryAfter(response);
            throw new DicomWebStatusException(url, status, excerpt(entity));
        }
        String contentType = entity == null ? null : entity.getContentType();
        InputStream body = entity == null ? InputStream.nullInputStream() : entity.getContent();
        try (InputStream in = body) {
            return reader.read(new Response(url, status, contentType, in));
        }
    }

    private static Duration retryAfter(ClassicHttpResponse response) {
        Header header = response.getFirstHeader("Retry-After");
        if (header == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.getValue().strip());
            return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
        } catch (NumberFormatException e) {
            return null; // an HTTP date: fall back to our own back-off
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
        return new DicomWebTransportException(url, timeout, reason, e);
    }

    /** The URL as messages and logs show it: query strings may carry patient data (match keys), so they go. */
    static String withoutQuery(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static long elapsedMillis(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    @Override
    public void close() {
        client.close(CloseMode.GRACEFUL);
    }
}
