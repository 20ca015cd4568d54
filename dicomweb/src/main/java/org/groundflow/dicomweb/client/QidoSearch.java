package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.DicomWebResponseException;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.format.DicomDataSet;
import org.groundflow.dicomweb.format.MultipartRelated;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apache.hc.core5.net.URIBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link QidoQuery} against one QIDO-RS resource: checks it against the server profile before anything is
 * sent, then follows {@code limit}/{@code offset} pages until a short page (without the PS3.18 "additional results"
 * warning), an empty page, or the query's maximum. A server that ignores {@code offset} (the same results again) is
 * reported, not looped on.
 */
final class QidoSearch {

    private static final Logger log = LoggerFactory.getLogger(QidoSearch.class);
    private static final String DICOM_JSON = "application/dicom+json";

    private final HttpTransport transport;
    private final ServerProfile profile;

    QidoSearch(HttpTransport transport, ServerProfile profile) {
        this.transport = transport;
        this.profile = profile;
    }

    /**
     * @param resource        e.g. {@code .../studies}
     * @param defaultIncludes fields this level always asks for
     * @param mapper          one result data set to a record
     * @param identity        the UID that identifies a record at this level
     */
    <T> List<T> search(URI resource, QidoQuery query, List<String> defaultIncludes,
                       Function<DicomDataSet, T> mapper, Function<T, Uid> identity) {
        checkSupported(query);
        int pageSize = query.pageSize().orElse(profile.pageSize());
        int max = query.maxResults();
        List<T> results = new ArrayList<>();
        Set<Uid> seen = new HashSet<>();
        int offset = 0;
        while (true) {
            int limit = max > 0 ? Math.min(pageSize, max - results.size()) : pageSize;
            URI uri = page(resource, query.parameters(defaultIncludes, limit, offset));
            Page<T> page = transport.get(uri, DICOM_JSON, response -> new Page<>(
                    readJsonArray(response).stream().map(mapper).toList(), moreAvailable(response)));
            if (page.items().isEmpty()) {
                break;
            }
            int fresh = 0;
            for (T item : page.items()) {
                if (seen.add(identity.apply(item))) {
                    results.add(item);
                    fresh++;
                }
            }
            if (fresh == 0) {
                throw new DicomWebResponseException(HttpTransport.withoutQuery(uri), "page at offset " + offset
                        + " repeats earlier results: the server ignores 'offset'; narrow the query or raise the page size");
            }
            if (max > 0 && results.size() >= max) {
                return List.copyOf(results.subList(0, max));
            }
            if (page.items().size() > limit) {
                break; // the server ignored 'limit' and sent everything
            }
            if (page.items().size() < limit && !page.moreAvailable()) {
                break;
            }
            offset += page.items().size();
            log.debug("QIDO-RS {}: {} results so far, next page at offset {}", resource.getPath(), results.size(), offset);
        }
        return List.copyOf(results);
    }

    private void checkSupported(QidoQuery query) {
        if (query.allFields()) {
            profile.require(profile.includeFieldAll(), "includefield=all");
        }
        if (query.fuzzyMatching()) {
            profile.require(profile.fuzzyMatching(), "fuzzy matching");
        }
        if (query.usesSequenceMatching()) {
            profile.require(profile.sequenceMatching(), "matching on sequence attributes");
        }
    }

    private static URI page(URI resource, List<Map.Entry<String, String>> parameters) {
        URIBuilder builder = new URIBuilder(resource);
        parameters.forEach(p -> builder.addParameter(p.getKey(), p.getValue()));
        try {
            return builder.build();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot build a query URL from the match keys: " + e.getMessage(), e);
        }
    }

    static List<DicomDataSet> readJsonArray(HttpTransport.Response response) throws java.io.IOException {
        if (response.status() == 204) {
            return List.of();
        }
        requireJson(response);
        return DicomDataSet.readArray(response.url(), response.body());
    }

    static void requireJson(HttpTransport.Response response) {
        String type = response.contentType();
        if (type != null && !type.isBlank()) {
            String media = MultipartRelated.mediaType(type).toLowerCase(Locale.ROOT);
            if (!media.equals(DICOM_JSON) && !media.equals("application/json")) {
                throw new DicomWebResponseException(response.url(), "Content-Type is " + media + "; expected " + DICOM_JSON);
            }
        }
    }

    /** PS3.18 8.3.4.4: "Warning: 299 {SERVICE}: There are additional results that can be requested". */
    private static boolean moreAvailable(HttpTransport.Response response) {
        String warning = response.header("Warning");
        return warning != null && warning.startsWith("299")
                && warning.toLowerCase(Locale.ROOT).contains("additional results");
    }

    private record Page<T>(List<T> items, boolean moreAvailable) {
    }
}
