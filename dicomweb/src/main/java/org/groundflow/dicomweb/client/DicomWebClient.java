package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.DicomWebException;
import org.groundflow.dicomweb.DicomWebResponseException;
import org.groundflow.dicomweb.DicomWebStatusException;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.format.DicomDataSet;
import org.groundflow.dicomweb.format.DicomFileHeader;
import org.groundflow.dicomweb.format.MultipartRelatedEntity;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DICOMweb client: QIDO-RS searches (paged to the end), WADO-RS retrieval of studies, series, instances, frames and
 * metadata (streamed part by part), STOW-RS storage with per-instance outcomes, and rejection where the server
 * profile allows it. Thread-safe; create one per endpoint and share it (it holds one pooled HTTP client), close it
 * when done. A request is repeated only when its connection was refused (once) or its OAuth2 token was refused
 * (once, with a new token); an error status, a timeout or a broken response fails the call at once, for the caller's
 * retry policy to decide. The one other second request is negotiation, not a retry: under a
 * {@link TransferSyntaxPreference#asStoredWhenRefused() preference that allows it} (the endpoint's default), a
 * WADO-RS retrieval the server will not transcode is asked for once more as stored. Every failure is a {@link DicomWebException} naming the URL (without its query, which may
 * carry patient data).
 */
public final class DicomWebClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DicomWebClient.class);

    private static final String DICOM_JSON = "application/dicom+json";
    /** Attributes Orthanc and others return only when asked for. */
    private static final List<String> STUDY_INCLUDE_FIELDS = List.of("00080061", "00201208");
    private static final List<String> SERIES_INCLUDE_FIELDS = List.of("0008103E", "00201209");
    private static final List<String> INSTANCE_INCLUDE_FIELDS = List.of("00280008");

    /** Receives each retrieved instance as a Part 10 stream, in the order of the response. */
    @FunctionalInterface
    public interface InstanceConsumer {
        /**
         * @param index 0-based position of the instance in the response
         * @param dicom the instance; read it within this call. An IOException reading it counts as a transport
         *              failure; report local failures as unchecked exceptions.
         */
        void accept(int index, InputStream dicom) throws IOException;
    }

    /** Receives each retrieved frame, in the order asked. */
    @FunctionalInterface
    public interface FrameConsumer {
        /**
         * @param frameNumber 1-based frame number
         * @param contentType the part's Content-Type, e.g. {@code application/octet-stream;
         *                    transfer-syntax=1.2.840.10008.1.2.1} or {@code image/jpeg}
         * @param data        the frame's pixel data; read it within this call
         */
        void accept(int frameNumber, String contentType, InputStream data) throws IOException;
    }

    private final DicomWebEndpoint endpoint;
    private final HttpTransport transport;
    private final QidoSearch qido;
    private final WadoRetrieval wado;

    /**
     * @throws IllegalArgumentException when the endpoint's trust store cannot be loaded
     */
    public DicomWebClient(DicomWebEndpoint endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.transport = new HttpTransport(endpoint);
        this.qido = new QidoSearch(transport, endpoint.profile());
        this.wado = new WadoRetrieval(transport);
    }

    public DicomWebEndpoint endpoint() {
        return endpoint;
    }

    // ---- QIDO-RS ---------------------------------------------------------------------------------------------

    /** QIDO-RS {@code GET /studies}, every page. */
    public List<StudyRecord> searchStudies(QidoQuery query) {
        Objects.requireNonNull(query, "query");
        return qido.search(path("studies"), query, STUDY_INCLUDE_FIELDS, this::study, StudyRecord::studyInstanceUid);
    }

    /**
     * QIDO-RS {@code GET /studies} with match keys given as a map (the form configuration tends to have).
     *
     * @param matchKeys attribute keyword or 8-digit hex tag → match value (e.g. {@code AccessionNumber}); the QIDO
     *                  parameters {@code limit} (the most results wanted), {@code fuzzymatching} and
     *                  {@code includefield} (comma-separated) are understood too; may be empty
     */
    public List<StudyRecord> searchStudies(Map<String, String> matchKeys) {
        return searchStudies(QueryParameters.toQuery(matchKeys));
    }

    /** QIDO-RS search for one study by UID; empty when the server has none (200 with no match, 204 or 404). */
    public Optional<StudyRecord> findStudy(Uid studyInstanceUid) {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        return orEmptyOn404(() -> searchStudies(QidoQuery.all().withMatch("StudyInstanceUID", studyInstanceUid)))
                .stream()
                .filter(study -> study.studyInstanceUid().equals(studyInstanceUid))
                .findFirst();
    }

    /** QIDO-RS {@code GET /studies/{study}/series}; empty when the study is unknown (404). */
    public List<SeriesRecord> searchSeries(Uid studyInstanceUid) {
        return searchSeries(studyInstanceUid, QidoQuery.all());
    }

    /** QIDO-RS {@code GET /studies/{study}/series}, every page; empty when the study is unknown (404). */
    public List<SeriesRecord> searchSeries(Uid studyInstanceUid, QidoQuery query) {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        Objects.requireNonNull(query, "query");
        URI uri = path("studies", studyInstanceUid.value(), "series");
        return orEmptyOn404(() -> qido.search(uri, query, SERIES_INCLUDE_FIELDS, this::series, SeriesRecord::seriesInstanceUid));
    }

    /** QIDO-RS {@code GET /series}: series of any study, every page. */
    public List<SeriesRecord> searchSeries(QidoQuery query) {
        Objects.requireNonNull(query, "query");
        return qido.search(path("series"), query, SERIES_INCLUDE_FIELDS, this::series, SeriesRecord::seriesInstanceUid);
    }

    /** QIDO-RS {@code GET /studies/{study}/series/{series}/instances}, every page; empty when unknown (404). */
    public List<InstanceRecord> searchInstances(Uid studyInstanceUid, Uid seriesInstanceUid, QidoQuery query) {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        Objects.requireNonNull(query, "query");
        URI uri = path("studies", studyInstanceUid.value(), "series", seriesInstanceUid.value(), "instances");
        return orEmptyOn404(() -> qido.search(uri, query, INSTANCE_INCLUDE_FIELDS,
                json -> InstanceRecord.from(json, uri.toString(), studyInstanceUid, seriesInstanceUid),
                InstanceRecord::sopInstanceUid));
    }

    /** QIDO-RS {@code GET /studies/{study}/instances}, every page; empty when the study is unknown (404). */
    public List<InstanceRecord> searchInstances(Uid studyInstanceUid, QidoQuery query) {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        Objects.requireNonNull(query, "query");
        URI uri = path("studies", studyInstanceUid.value(), "instances");
        return orEmptyOn404(() -> qido.search(uri, query, INSTANCE_INCLUDE_FIELDS,
                json -> InstanceRecord.from(json, uri.toString(), studyInstanceUid, null),
                InstanceRecord::sopInstanceUid));
    }

    /** QIDO-RS {@code GET /instances}: instances of any study, every page. */
    public List<InstanceRecord> searchInstances(QidoQuery query) {
        Objects.requireNonNull(query, "query");
        URI uri = path("instances");
        return qido.search(uri, query, INSTANCE_INCLUDE_FIELDS,
                json -> InstanceRecord.from(json, uri.toString(), null, null), InstanceRecord::sopInstanceUid);
    }

    // ---- WADO-RS ---------------------------------------------------------------------------------------------

    /**
     * WADO-RS {@code GET /studies/{study}}: streams each instance straight to its own file
     * ({@code <study UID>_<nnnnn>.dcm}) in {@code directory}, created if needed. On failure no files of this call are
     * left behind.
     *
     * @return the files, in the order the server sent the instances
     */
    public List<Path> retrieveStudy(Uid studyInstanceUid, Path directory) {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        Objects.requireNonNull(directory, "directory");
        List<Path> files = wado.instancesToFiles(path("studies", studyInstanceUid.value()), endpoint.transferSyntaxes(),
                directory, studyInstanceUid.value());
        log.info("Retrieved {} instances of study {}", files.size(), studyInstanceUid);
        return files;
    }

    /** WADO-RS {@code GET /studies/{study}}, streaming: each instance goes to the consumer as it arrives. */
    public int retrieveStudy(Uid studyInstanceUid, TransferSyntaxPreference accepted, InstanceConsumer consumer) {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        Objects.requireNonNull(accepted, "accepted");
        Objects.requireNonNull(consumer, "consumer");
        return wado.instances(path("studies", studyInstanceUid.value()), accepted, consumer);
    }

    /**
     * WADO-RS {@code GET /studies/{study}/series/{series}}: streams each instance straight to its own file
     * ({@code <series UID>_<nnnnn>.dcm}) in {@code directory}, created if needed, in the endpoint's default transfer
     * syntaxes. On failure no files of this call are left behind.
     *
     * @return the files, in the order the server sent the instances
     */
    public List<Path> retrieveSeries(Uid studyInstanceUid, Uid seriesInstanceUid, Path directory) {
        return retrieveSeries(studyInstanceUid, seriesInstanceUid, endpoint.transferSyntaxes(), directory);
    }

    /** As {@link #retrieveSeries(Uid, Uid, Path)}, asking for these transfer syntaxes. */
    public List<Path> retrieveSeries(Uid studyInstanceUid, Uid seriesInstanceUid, TransferSyntaxPreference accepted,
                                     Path directory) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(accepted, "accepted");
        List<Path> files = wado.instancesToFiles(seriesPath(studyInstanceUid, seriesInstanceUid), accepted, directory,
                seriesInstanceUid.value());
        log.info("Retrieved {} instances of series {}", files.size(), seriesInstanceUid);
        return files;
    }

    /**
     * WADO-RS {@code GET /studies/{study}/series/{series}}, streaming: each instance goes to the consumer as it
     * arrives, one at a time.
     *
     * @return the number of instances
     */
    public int retrieveSeries(Uid studyInstanceUid, Uid seriesInstanceUid, InstanceConsumer consumer) {
        return retrieveSeries(studyInstanceUid, seriesInstanceUid, endpoint.transferSyntaxes(), consumer);
    }

    /** As {@link #retrieveSeries(Uid, Uid, InstanceConsumer)}, asking for these transfer syntaxes. */
    public int retrieveSeries(Uid studyInstanceUid, Uid seriesInstanceUid, TransferSyntaxPreference accepted,
                              InstanceConsumer consumer) {
        Objects.requireNonNull(accepted, "accepted");
        Objects.requireNonNull(consumer, "consumer");
        int count = wado.instances(seriesPath(studyInstanceUid, seriesInstanceUid), accepted, consumer);
        log.info("Retrieved {} instances of series {}", count, seriesInstanceUid);
        return count;
    }

    /** WADO-RS {@code GET .../instances/{instance}} into {@code file} (its directory created if needed). */
    public Path retrieveInstance(Uid studyInstanceUid, Uid seriesInstanceUid, Uid sopInstanceUid, Path file) {
        return retrieveInstance(studyInstanceUid, seriesInstanceUid, sopInstanceUid, endpoint.transferSyntaxes(), file);
    }

    /** As {@link #retrieveInstance(Uid, Uid, Uid, Path)}, asking for these transfer syntaxes. */
    public Path retrieveInstance(Uid studyInstanceUid, Uid seriesInstanceUid, Uid sopInstanceUid,
                                 TransferSyntaxPreference accepted, Path file) {
        Objects.requireNonNull(accepted, "accepted");
        Objects.requireNonNull(file, "file");
        return wado.instanceToFile(instancePath(studyInstanceUid, seriesInstanceUid, sopInstanceUid), accepted, file);
    }

    /**
     * WADO-RS {@code GET .../instances/{instance}/frames/{list}}, uncompressed (the server's default).
     *
     * @param frameNumbers 1-based, at least one, in the order wanted
     */
    public List<Frame> retrieveFrames(Uid studyInstanceUid, Uid seriesInstanceUid, Uid sopInstanceUid,
                                      List<Integer> frameNumbers) {
        return retrieveFrames(studyInstanceUid, seriesInstanceUid, sopInstanceUid, frameNumbers,
                TransferSyntaxPreference.serverDefault());
    }

    /** As {@link #retrieveFrames(Uid, Uid, Uid, List)}, asking for these transfer syntaxes. */
    public List<Frame> retrieveFrames(Uid studyInstanceUid, Uid seriesInstanceUid, Uid sopInstanceUid,
                                      List<Integer> frameNumbers, TransferSyntaxPreference accepted) {
        Objects.requireNonNull(accepted, "accepted");
        return wado.frames(instancePath(studyInstanceUid, seriesInstanceUid, sopInstanceUid), validFrames(frameNumbers),
                accepted);
    }

    /** Frames, streaming: each frame goes to the consumer as it arrives. @return the number of frames */
    public int retrieveFrames(Uid studyInstanceUid, Uid seriesInstanceUid, Uid sopInstanceUid,
                              List<Integer> frameNumbers, TransferSyntaxPreference accepted, FrameConsumer consumer) {
        Objects.requireNonNull(accepted, "accepted");
        Objects.requireNonNull(consumer, "consumer");
        return wado.frames(instancePath(studyInstanceUid, seriesInstanceUid, sopInstanceUid), validFrames(frameNumbers),
                accepted, consumer);
    }

    /** WADO-RS {@code GET /studies/{study}/metadata}: one data set per instance, bulk data as BulkDataURI. */
    public List<DicomDataSet> retrieveStudyMetadata(Uid studyInstanceUid) {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        return wado.metadata(path("studies", studyInstanceUid.value()));
    }

    /** WADO-RS {@code GET /studies/{study}/series/{series}/metadata}. */
    public List<DicomDataSet> retrieveSeriesMetadata(Uid studyInstanceUid, Uid seriesInstanceUid) {
        return wado.metadata(seriesPath(studyInstanceUid, seriesInstanceUid));
    }

    /** WADO-RS {@code GET .../instances/{instance}/metadata}. */
    public DicomDataSet retrieveInstanceMetadata(Uid studyInstanceUid, Uid seriesInstanceUid, Uid sopInstanceUid) {
        URI uri = instancePath(studyInstanceUid, seriesInstanceUid, sopInstanceUid);
        List<DicomDataSet> metadata = wado.metadata(uri);
        if (metadata.size() != 1) {
            throw new DicomWebResponseException(uri + "/metadata", metadata.size() + " data sets for one instance");
        }
        return metadata.get(0);
    }

    // ---- STOW-RS ---------------------------------------------------------------------------------------------

    /**
     * STOW-RS {@code POST /studies}: sends the files in one multipart/related request streamed from disk.
     * A partial failure is reported in the result (see {@link StoreResult#requireAllStored()}), not thrown.
     *
     * @param files DICOM Part 10 files, at least one
     * @throws IllegalArgumentException when a file is missing or not DICOM (checked before anything is sent)
     */
    public StoreResult store(List<Path> files) {
        return store(path("studies"), files);
    }

    /** STOW-RS of one file. */
    public StoreResult store(Path file) {
        return store(List.of(Objects.requireNonNull(file, "file")));
    }

    /**
     * STOW-RS {@code POST /studies/{study}}: the server refuses instances of other studies (failure reason 0xA900 or
     * similar, reported per instance).
     */
    public StoreResult store(Uid studyInstanceUid, List<Path> files) {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        return store(path("studies", studyInstanceUid.value()), files);
    }

    private StoreResult store(URI uri, List<Path> files) {
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
        StoreResult result = transport.post(uri, DICOM_JSON, body, StowResponse::isStowStatus,
                response -> StowResponse.read(response, sent));
        if (result.isComplete()) {
            log.info("STOW-RS stored {} of {} instances ({} with warnings)", result.stored().size(), sent.size(),
                    result.warnings().size());
        } else {
            log.warn("STOW-RS stored {} of {} instances; {} failed", result.stored().size(), sent.size(),
                    result.failed().size());
        }
        return result;
    }

    // ---- reject (IOCM) ---------------------------------------------------------------------------------------

    /**
     * Rejects a study with a reason (dcm4chee-arc: {@code POST /studies/{study}/reject/{code}^DCM}); the archive
     * hides it from regular queries. Never retried.
     *
     * @throws UnsupportedByServerException before sending when the server profile has no reject
     */
    public void rejectStudy(Uid studyInstanceUid, RejectionReason reason) {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        reject(path("studies", studyInstanceUid.value()), reason);
    }

    public void rejectSeries(Uid studyInstanceUid, Uid seriesInstanceUid, RejectionReason reason) {
        reject(seriesPath(studyInstanceUid, seriesInstanceUid), reason);
    }

    public void rejectInstance(Uid studyInstanceUid, Uid seriesInstanceUid, Uid sopInstanceUid, RejectionReason reason) {
        reject(instancePath(studyInstanceUid, seriesInstanceUid, sopInstanceUid), reason);
    }

    private void reject(URI resource, RejectionReason reason) {
        Objects.requireNonNull(reason, "reason");
        endpoint.profile().require(endpoint.profile().reject(), "reject");
        URI uri = URI.create(resource + "/reject/" + reason.pathSegment());
        transport.post(uri, "application/json", new ByteArrayEntity(new byte[0], null), status -> status >= 200 && status < 300,
                response -> null);
        log.info("Rejected {} ({})", resource.getPath(), reason.code().meaning());
    }

    @Override
    public void close() {
        transport.close();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private StudyRecord study(DicomDataSet json) {
        return StudyRecord.from(json, endpoint.baseUri() + "/studies");
    }

    private SeriesRecord series(DicomDataSet json) {
        return SeriesRecord.from(json, endpoint.baseUri() + "/series");
    }

    private static <T> List<T> orEmptyOn404(Supplier<List<T>> search) {
        try {
            return search.get();
        } catch (DicomWebStatusException e) {
            if (e.status() == 404) {
                return List.of();
            }
            throw e;
        }
    }

    private static List<Integer> validFrames(List<Integer> frameNumbers) {
        Objects.requireNonNull(frameNumbers, "frameNumbers");
        if (frameNumbers.isEmpty()) {
            throw new IllegalArgumentException("frameNumbers must not be empty");
        }
        for (Integer number : frameNumbers) {
            if (number == null || number < 1) {
                throw new IllegalArgumentException("frameNumbers must be 1-based, got " + frameNumbers);
            }
        }
        return List.copyOf(frameNumbers);
    }

    private URI seriesPath(Uid study, Uid series) {
        Objects.requireNonNull(study, "studyInstanceUid");
        Objects.requireNonNull(series, "seriesInstanceUid");
        return path("studies", study.value(), "series", series.value());
    }

    private URI instancePath(Uid study, Uid series, Uid instance) {
        Objects.requireNonNull(instance, "sopInstanceUid");
        return URI.create(seriesPath(study, series) + "/instances/" + instance.value());
    }

    private URI path(String... segments) {
        StringBuilder text = new StringBuilder(endpoint.baseUri().toString());
        for (String segment : segments) {
            text.append('/').append(segment);
        }
        return URI.create(text.toString());
    }
}
