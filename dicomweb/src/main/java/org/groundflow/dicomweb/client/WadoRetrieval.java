package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.DicomWebException;
import org.groundflow.dicomweb.DicomWebResponseException;
import org.groundflow.dicomweb.DicomWebStatusException;
import org.groundflow.dicomweb.format.DicomDataSet;
import org.groundflow.dicomweb.format.DicomFileHeader;
import org.groundflow.dicomweb.format.MultipartRelated;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WADO-RS (PS3.18 10.4): instances streamed part by part, frames, metadata. Each retrieval is one GET through
 * {@link HttpTransport}, never repeated once an answer has begun, so consumers see each part once; the one exception
 * is a refusal to transcode under a preference that allows it, answered by one more GET for the instances as stored.
 */
final class WadoRetrieval {

    private static final Logger log = LoggerFactory.getLogger(WadoRetrieval.class);

    private static final String DICOM_JSON = "application/dicom+json";

    private final HttpTransport transport;

    WadoRetrieval(HttpTransport transport) {
        this.transport = transport;
    }

    /**
     * Streams every instance under {@code resource} (a study, series or instance URL) to the consumer; asks once more
     * for the instances as stored when the preference allows it and the server refused before any instance reached the
     * consumer.
     */
    int instances(URI resource, TransferSyntaxPreference accepted, DicomWebClient.InstanceConsumer consumer) {
        int[] delivered = {0};
        return negotiated(resource, accepted, preference -> instancesOnce(resource, preference, (index, part) -> {
            delivered[0]++;
            consumer.accept(index, part);
        }), () -> delivered[0] == 0);
    }

    private int instancesOnce(URI resource, TransferSyntaxPreference accepted, DicomWebClient.InstanceConsumer consumer) {
        return transport.get(resource, accepted.acceptInstances(), response ->
                MultipartRelated.read(response.url(), response.contentType(), response.body(), MultipartRelated.DICOM,
                        (index, type, part) -> {
                            requireAccepted(response.url(), index, type, accepted);
                            consumer.accept(index, part);
                        }));
    }

    /**
     * Every instance under {@code resource} into its own file; on failure no files of this call are left. Each file's
     * transfer syntax must be one asked for; where the preference allows, a refusal is answered by asking once more
     * for the instances as stored.
     */
    List<Path> instancesToFiles(URI resource, TransferSyntaxPreference accepted, Path directory, String prefix) {
        return negotiated(resource, accepted, preference -> {
            InstanceFiles files = InstanceFiles.in(directory, prefix);
            try {
                instancesOnce(resource, preference, (index, dicom) -> {
                    files.accept(index, dicom);
                    requireAcceptedFile(resource, index, files.file(index), preference);
                });
                return files.files();
            } catch (RuntimeException e) {
                files.deleteAll();
                throw e;
            }
        }, () -> true);
    }

    /** Exactly one instance into {@code file}; on failure the file is removed. */
    Path instanceToFile(URI resource, TransferSyntaxPreference accepted, Path file) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new DicomWebException("cannot create directory " + parent + ": " + e.getMessage(), e);
        }
        byte[] buffer = new byte[MultipartRelated.BUFFER_SIZE];
        try {
            int count = negotiated(resource, accepted, preference -> instancesOnce(resource, preference, (index, dicom) -> {
                if (index > 0) {
                    throw new DicomWebResponseException(HttpTransport.withoutQuery(resource),
                            "more than one instance in the response to an instance retrieval");
                }
                InstanceFiles.copy(dicom, file, buffer);
                requireAcceptedFile(resource, index, file, preference);
            }), () -> true);
            if (count == 0) {
                throw new DicomWebResponseException(HttpTransport.withoutQuery(resource), "no instance in the response");
            }
            return file;
        } catch (RuntimeException e) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** A frame part with its position in the response. */
    @FunctionalInterface
    private interface FramePart {
        void accept(int index, int number, String contentType, InputStream data) throws IOException;
    }

    /** Frames in the order asked; the response must hold exactly one part per frame. */
    int frames(URI instance, List<Integer> numbers, TransferSyntaxPreference accepted,
               DicomWebClient.FrameConsumer consumer) {
        return frames(instance, numbers, accepted,
                (FramePart) (index, number, contentType, data) -> consumer.accept(number, contentType, data));
    }

    List<Frame> frames(URI instance, List<Integer> numbers, TransferSyntaxPreference accepted) {
        List<Frame> frames = new ArrayList<>(numbers.size());
        frames(instance, numbers, accepted, (FramePart) (index, number, contentType, data) -> {
            String syntax = MultipartRelated.parameter(contentType, "transfer-syntax");
            frames.add(new Frame(number, MultipartRelated.mediaType(contentType), syntax, data.readAllBytes()));
        });
        return List.copyOf(frames);
    }

    private int frames(URI instance, List<Integer> numbers, TransferSyntaxPreference accepted, FramePart handler) {
        URI uri = URI.create(instance + "/frames/" + numbers.stream().map(String::valueOf).collect(Collectors.joining(",")));
        int count = transport.get(uri, accepted.acceptFrames(), response ->
                MultipartRelated.read(response.url(), response.contentType(), response.body(), null,
                        (index, type, part) -> {
                            if (index >= numbers.size()) {
                                throw new DicomWebResponseException(response.url(), "more parts than the "
                                        + numbers.size() + " frames asked for");
                            }
                            String contentType = type == null ? TransferSyntaxPreference.OCTET_STREAM : type;
                            if (MultipartRelated.mediaType(contentType).startsWith("multipart/")) {
                                throw new DicomWebResponseException(response.url(), "part " + (index + 1)
                                        + " is itself multipart");
                            }
                            requireAccepted(response.url(), index, contentType, accepted);
                            if (accepted.uids().isEmpty()
                                    && !MultipartRelated.mediaType(contentType).equals(TransferSyntaxPreference.OCTET_STREAM)) {
                                throw new DicomWebResponseException(response.url(), "part " + (index + 1) + " is "
                                        + MultipartRelated.mediaType(contentType) + "; uncompressed frames "
                                        + "(application/octet-stream) were asked for");
                            }
                            handler.accept(index, numbers.get(index), contentType, part);
                        }));
        if (count != numbers.size()) {
            throw new DicomWebResponseException(HttpTransport.withoutQuery(uri), count + " parts for the "
                    + numbers.size() + " frames asked for");
        }
        return count;
    }

    /** Metadata of every instance under {@code resource} (study, series or instance URL). */
    List<DicomDataSet> metadata(URI resource) {
        URI uri = URI.create(resource + "/metadata");
        return transport.get(uri, DICOM_JSON, QidoSearch::readJsonArray);
    }

    /**
     * Runs the retrieval with the preference and, when the server refused to transcode, the preference allows asking
     * again and {@code repeatable} says nothing was handed on, once more for the instances as stored.
     */
    private static <T> T negotiated(URI resource, TransferSyntaxPreference accepted,
                                    Function<TransferSyntaxPreference, T> retrieval, BooleanSupplier repeatable) {
        try {
            return retrieval.apply(accepted);
        } catch (DicomWebException refusal) {
            if (!accepted.asStoredWhenRefused() || !refusesTranscoding(refusal) || !repeatable.getAsBoolean()) {
                throw refusal;
            }
            log.info("{} not served in transfer syntax {} ({}); asking for the instances as stored",
                    HttpTransport.withoutQuery(resource), accepted.uids(), refusal.getMessage());
            try {
                return retrieval.apply(TransferSyntaxPreference.asStored());
            } catch (DicomWebException second) {
                second.addSuppressed(refusal);
                throw second;
            }
        }
    }

    /** HTTP 406 (the standard's answer), 500 (Orthanc's) or 501, or an instance in a transfer syntax not asked for. */
    private static boolean refusesTranscoding(DicomWebException e) {
        if (e instanceof DicomWebStatusException status) {
            return status.status() == 406 || status.status() == 500 || status.status() == 501;
        }
        return e instanceof UnacceptedTransferSyntaxException;
    }

    /** A written instance whose meta information names a transfer syntax not asked for is refused. */
    private static void requireAcceptedFile(URI resource, int index, Path file, TransferSyntaxPreference accepted) {
        if (accepted.uids().isEmpty() || accepted.uids().contains(TransferSyntaxPreference.ANY)) {
            return;
        }
        DicomFileHeader.transferSyntaxOf(file).filter(syntax -> !accepted.accepts(syntax)).ifPresent(syntax -> {
            throw new UnacceptedTransferSyntaxException(HttpTransport.withoutQuery(resource), index, syntax, accepted);
        });
    }

    private static void requireAccepted(String url, int index, String contentType, TransferSyntaxPreference accepted) {
        if (contentType == null) {
            return;
        }
        String syntax = MultipartRelated.parameter(contentType, "transfer-syntax");
        if (syntax != null && !accepted.accepts(syntax)) {
            throw new UnacceptedTransferSyntaxException(url, index, syntax, accepted);
        }
    }
}
