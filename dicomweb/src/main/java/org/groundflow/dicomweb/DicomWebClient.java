package org.groundflow.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.apache.hc.core5.net.URIBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DICOMweb client: QIDO-RS searches, WADO-RS series retrieval, STOW-RS storage. Thread-safe; create one per
 * endpoint and share it (it holds one pooled HTTP client), close it when done. Idempotent GETs are retried as the
 * endpoint says; STOW-RS is never retried. Every failure is a {@link DicomWebException}.
 */
public final class DicomWebClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DicomWebClient.class);

    static final String STUDY_INSTANCE_UID = "0020000D";
    private static final String DICOM_JSON = "application/dicom+json";
    private static final String MULTIPART_DICOM = "multipart/related; type=\"application/dicom\"";
    private static final Pattern MATCH_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9]*|[0-9A-Fa-f]{8}");
    /** Study attributes Orthanc and others return only when asked for. */
    private static final List<String> STUDY_INCLUDE_FIELDS = List.of("00080061", "00201208");
    private static final List<String> SERIES_INCLUDE_FIELDS = List.of("0008103E", "00201209");

    /** Receives each retrieved instance as a Part 10 stream; may see index 0 again when a retry happens. */
    @FunctionalInterface
    public interface InstanceConsumer {
        /**
         * @param index 0-based position of the instance in the response
         * @param dicom the instance; read it within this call. An IOException reading it counts as a transport
         *              failure (the retrieval may be retried); report local failures as unchecked exceptions.
         */
        void accept(int index, InputStream dicom) throws IOException;
    }

    private final DicomWebEndpoint endpoint;
    private final HttpTransport transport;

    public DicomWebClient(DicomWebEndpoint endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.transport = new HttpTransport(endpoint);
    }

    public DicomWebEndpoint endpoint() {
        return endpoint;
    }

    /**
     * QIDO-RS {@code GET /studies}.
     *
     * @param matchKeys attribute keyword or 8-digit hex tag → match value (e.g. {@code AccessionNumber}),
     *                  plus QIDO parameters such as {@code limit}; may be empty
     */
    public List<StudyRecord> searchStudies(Map<String, String> matchKeys) {
        Map<String, String> keys = validMatchKeys(matchKeys);
        URI uri = query(path("studies"), keys, STUDY_INCLUDE_FIELDS);
        return transport.get(uri, DICOM_JSON, response -> readJsonArray(response).stream()
                .map(json -> StudyRecord.from(json, response.url()))
                .toList());
    }

    /** QIDO-RS search for one study by UID; empty when the server has none (200 with no match, 204 or 404). */
    public Optional<StudyRecord> findStudy(Uid studyInstanceUid) {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        try {
            return searchStudies(Map.of("StudyInstanceUID", studyInstanceUid.value())).stream()
                    .filter(study -> study.studyInstanceUid().equals(studyInstanceUid))
                    .findFirst();
        } catch (DicomWebStatusException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** QIDO-RS {@code GET /studies/{study}/series}; empty when the study is unknown (404). */
    public List<SeriesRecord> searchSeries(Uid studyInstanceUid) {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        URI uri = query(path("studies", studyInstanceUid.value(), "series"), Map.of(), SERIES_INCLUDE_FIELDS);
        try {
            return transport.get(uri, DICOM_JSON, response -> readJsonArray(response).stream()
                    .map(json -> SeriesRecord.from(json, response.url()))
                    .toList());
        } catch (DicomWebStatusException e) {
            if (e.status() == 404) {
                return List.of();
            }
            throw e;
        }
    }

    /**
     * WADO-RS {@code GET /studies/{study}/series/{series}}: streams each instance straight to its own file
     * ({@code <series UID>_<nnnnn>.dcm}) in {@code directory}, created if needed. On failure no files of this call
     * are left behind.
     *
     * @return the files, in the order the server sent the instances
     */
    public List<Path> retrieveSeries(Uid studyInstanceUid, Uid seriesInstanceUid, Path directory) {
        Objects.requireNonNull(directory, "directory");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new DicomWebException("cannot create directory " + directory + ": " + e.getMessage(), e);
        }
        List<Path> written = new ArrayList<>();
        try {
            int count = retrieveSeries(studyInstanceUid, seriesInstanceUid, (index, dicom) -> {
                Path file = directory.resolve(String.format(Locale.ROOT, "%s_%05d.dcm", seriesInstanceUid, index + 1));
                if (index == written.size()) {
                    written.add(file);
                }
                copy(dicom, file);
            });
            List<Path> result = List.copyOf(written.subList(0, count));
            deleteQuietly(written.subList(count, written.size()));
            return result;
        } catch (RuntimeException e) {
            deleteQuietly(written);
            throw e;
        }
    }

    /**
     * WADO-RS {@code GET /studies/{study}/series/{series}}, streaming: each instance goes to the consumer as it
     * arrives, one at a time.
     *
     * @return the number of instances
     */
    public int retrieveSeries(Uid studyInstanceUid, Uid seriesInstanceUid, InstanceConsumer consumer) {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        Objects.requireNonNull(consumer, "consumer");
        URI uri = path("studies", studyInstanceUid.value(), "series", seriesInstanceUid.value());
        int count = transport.get(uri, MULTIPART_DICOM, response ->
                MultipartRelated.read(response.url(), response.contentType(), response.body(), consumer::accept));
        log.info("Retrieved {} instances of series {}", count, seriesInstanceUid);
        return count;
    }

    /**
     * STOW-RS {@code POST /studies}: sends the files in one multipart/related request streamed from disk.
     * A partial failure is reported in the result (see {@link StoreResult#requireAllStored()}), not thrown.
     *
     * @param files DICOM Part 10 files, at least one
     * @throws IllegalArgumentException when a file is missing or not DICOM (checked before anything is sent)
     */
    public StoreResult store(List<Path> files) {
        Objects.requireNonNull(files, "files");
        if (files.isEmpty()) {
            throw new IllegalArgumentException("files must not be empty");
        }
        List<DicomFileHeader> sent = files.stream().map(DicomFileHeader::read).toList();
        MultipartRelatedEntity body;
        try {
            body = MultipartRelatedEntity.of(files);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the files to store: " + e.getMessage(), e);
        }
        URI uri = path("studies");
        StoreResult result = transport.post(uri, DICOM_JSON, body, StowResponse::isStowStatus,
                response -> StowResponse.read(response, sent));
        log.info("STOW-RS stored {} of {} instances", result.stored().size(), sent.size());
        return result;
    }

    @Override
    public void close() {
        transport.close();
    }

    private static List<DicomJson> readJsonArray(HttpTransport.Response response) throws IOException {
        if (response.status() == 204) {
            return List.of();
        }
        requireJson(response);
        return DicomJson.readArray(response.url(), response.body());
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

    private static void copy(InputStream in, Path file) throws IOException {
        byte[] buffer = new byte[MultipartRelated.BUFFER_SIZE];
        try (OutputStream out = openForWrite(file)) {
            int n;
            while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                write(out, buffer, n, file);
            }
        } catch (LocalWriteFailure e) {
            throw new DicomWebException("cannot write " + file + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static OutputStream openForWrite(Path file) {
        try {
            return Files.newOutputStream(file);
        } catch (IOException e) {
            throw new DicomWebException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(OutputStream out, byte[] buffer, int n, Path file) {
        try {
            out.write(buffer, 0, n);
        } catch (IOException e) {
            throw new LocalWriteFailure(e);
        }
    }

    /** A disk failure while copying: must not be mistaken for a network failure (and retried). */
    private static final class LocalWriteFailure extends RuntimeException {
        LocalWriteFailure(IOException cause) {
            super(cause);
        }
    }

    private static void deleteQuietly(List<Path> files) {
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn("Could not delete partial file {}: {}", file, e.getMessage());
            }
        }
    }

    private URI path(String... segments) {
        StringBuilder text = new StringBuilder(endpoint.baseUri().toString());
        for (String segment : segments) {
            text.append('/').append(segment);
        }
        return URI.create(text.toString());
    }

    private static URI query(URI uri, Map<String, String> keys, List<String> includeFields) {
        URIBuilder builder = new URIBuilder(uri);
        keys.forEach(builder::addParameter);
        includeFields.forEach(field -> builder.addParameter("includefield", field));
        try {
            return builder.build();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot build a query URL from the match keys: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> validMatchKeys(Map<String, String> matchKeys) {
        Objects.requireNonNull(matchKeys, "matchKeys");
        Map<String, String> result = new LinkedHashMap<>();
        new TreeMap<>(matchKeys).forEach((key, value) -> {
            if (key == null || !MATCH_KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("matchKeys: a key must be an attribute keyword or an 8-digit hex tag, got: " + key);
            }
            if (value == null) {
                throw new IllegalArgumentException("matchKeys: the value of " + key + " must not be null");
            }
            result.put(key, value);
        });
        return result;
    }
}
