package org.groundflow.workflow;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A proxy in front of the tests' PACS that counts what the application asks of it: every request passes through to
 * the PACS unchanged and is written down (method and URL only, never a body).
 */
public final class PacsRequests {

    /** What a DICOMweb request is, from its method and path. */
    public enum Kind {
        /** QIDO-RS: a search of studies, series or instances. */
        QIDO,
        /** WADO-RS of a whole series: {@code GET /studies/{study}/series/{series}}. */
        WADO_SERIES,
        /** Any other WADO-RS: a study, an instance, frames, metadata. */
        WADO_OTHER,
        /** STOW-RS. */
        STOW,
        OTHER;

        private static final Pattern SEARCH = Pattern.compile(".*/(studies|series|instances)$");
        private static final Pattern SERIES = Pattern.compile(".*/studies/[^/]+/series/[^/]+$");

        static Kind of(String method, String url) {
            String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
            if ("POST".equals(method)) {
                return STOW;
            }
            if (!"GET".equals(method)) {
                return OTHER;
            }
            if (SEARCH.matcher(path).matches()) {
                return QIDO;
            }
            return SERIES.matcher(path).matches() ? WADO_SERIES : WADO_OTHER;
        }
    }

    /** One request, as the PACS got it. */
    public record Request(String method, String url, Kind kind) {

        @Override
        public String toString() {
            return method + " " + url;
        }
    }

    private final WireMockServer proxy;
    private final List<Request> seen = new ArrayList<>();

    private PacsRequests(String pacsRoot) {
        proxy = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort().disableRequestJournal()
                .extensions(new Recorder()));
        proxy.start();
        proxy.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(pacsRoot)));
    }

    /** Starts a proxy to the server at {@code pacsRoot} (scheme, host and port). */
    static PacsRequests proxying(String pacsRoot) {
        return new PacsRequests(pacsRoot);
    }

    /** The proxy's root, where the PACS's paths are served. */
    public String baseUrl() {
        return proxy.baseUrl();
    }

    /** A mark to count from: the number of requests so far. */
    public synchronized int mark() {
        return seen.size();
    }

    /** The requests since {@code mark}, in the order they came. */
    public synchronized List<Request> since(int mark) {
        return List.copyOf(seen.subList(mark, seen.size()));
    }

    /** How many requests of each kind came since {@code mark}. */
    public Map<Kind, Integer> countSince(int mark) {
        Map<Kind, Integer> counts = new TreeMap<>();
        since(mark).forEach(r -> counts.merge(r.kind(), 1, Integer::sum));
        return counts;
    }

    void stop() {
        proxy.stop();
    }

    private synchronized void record(String method, String url) {
        seen.add(new Request(method, url, Kind.of(method, url)));
    }

    private final class Recorder implements ServeEventListener {

        @Override
        public String getName() {
            return "pacs-request-recorder";
        }

        @Override
        public void beforeResponseSent(ServeEvent event, Parameters parameters) {
            record(event.getRequest().getMethod().getName(), event.getRequest().getUrl());
        }
    }
}
