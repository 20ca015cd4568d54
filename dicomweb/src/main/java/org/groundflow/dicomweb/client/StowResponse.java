package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.DicomWebResponseException;
import org.groundflow.dicomweb.DicomWebStatusException;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.format.DicomDataSet;
import org.groundflow.dicomweb.format.DicomFileHeader;
import org.groundflow.dicomweb.format.MultipartRelated;
import org.groundflow.dicomweb.format.NativeDicomModel;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a STOW-RS response (PS3.18 10.5.3), DICOM JSON or DICOM XML, into per-instance outcomes: stored, stored with
 * a warning, failed with its reason code. Instances the response does not mention count as failed.
 */
final class StowResponse {

    private static final String DICOM_XML = "application/dicom+xml";
    private static final String FAILED_SOP_SEQUENCE = "00081198";
    private static final String REFERENCED_SOP_SEQUENCE = "00081199";
    private static final String FAILURE_REASON = "00081197";
    private static final String WARNING_REASON = "00081196";
    private static final String REFERENCED_SOP_CLASS_UID = "00081150";
    private static final String REFERENCED_SOP_INSTANCE_UID = "00081155";
    private static final String RETRIEVE_URL = "00081190";
    private static final int MAX_BODY = 64 * 1024 * 1024;

    private StowResponse() {
    }

    /**
     * Statuses whose body may be a STOW-RS response: 200 all stored, 202 some stored or warnings, 409 none stored;
     * 400 too, because Orthanc answers a partial failure with 400 and a per-instance body.
     */
    static boolean isStowStatus(int status) {
        return status == 200 || status == 202 || status == 400 || status == 409;
    }

    static StoreResult read(HttpTransport.Response response, List<DicomFileHeader> sent) throws IOException {
        byte[] bytes = response.body().readNBytes(MAX_BODY);
        Optional<DicomDataSet> body;
        try {
            body = parse(response, bytes);
        } catch (DicomWebResponseException e) {
            if (response.status() != 200 && response.status() != 202) {
                throw new DicomWebStatusException(response.url(), response.status(), text(bytes));
            }
            throw e;
        }
        if (body.isEmpty() || !isStowBody(body.get())) {
            if (response.status() == 200 && body.isEmpty()) {
                return allStored(sent);
            }
            throw new DicomWebStatusException(response.url(), response.status(), body.isEmpty()
                    ? "no per-instance outcome in the response" : text(bytes));
        }
        return outcome(body.get(), sent);
    }

    private static Optional<DicomDataSet> parse(HttpTransport.Response response, byte[] bytes) throws IOException {
        if (bytes.length == 0) {
            return Optional.empty();
        }
        String type = response.contentType();
        if (type != null && MultipartRelated.mediaType(type).equals(DICOM_XML)) {
            return Optional.of(NativeDicomModel.read(response.url(), new ByteArrayInputStream(bytes)));
        }
        QidoSearch.requireJson(response);
        return DicomDataSet.readObject(response.url(), new ByteArrayInputStream(bytes));
    }

    private static boolean isStowBody(DicomDataSet body) {
        return body.contains(REFERENCED_SOP_SEQUENCE) || body.contains(FAILED_SOP_SEQUENCE);
    }

    private static StoreResult allStored(List<DicomFileHeader> sent) {
        List<StoreResult.StoredInstance> stored = sent.stream()
                .map(h -> new StoreResult.StoredInstance(Uid.of(h.sopClassUid()), Uid.of(h.sopInstanceUid()), ""))
                .toList();
        return new StoreResult(stored, List.of());
    }

    private static StoreResult outcome(DicomDataSet body, List<DicomFileHeader> sent) {
        Map<String, DicomFileHeader> unacknowledged = new LinkedHashMap<>();
        sent.forEach(header -> unacknowledged.put(header.sopInstanceUid(), header));
        List<StoreResult.StoredInstance> stored = new ArrayList<>();
        List<StoreResult.FailedInstance> failed = new ArrayList<>();
        for (DicomDataSet item : body.sequence(REFERENCED_SOP_SEQUENCE)) {
            Optional<Uid> instance = item.uid(REFERENCED_SOP_INSTANCE_UID);
            if (instance.isEmpty()) {
                continue;
            }
            unacknowledged.remove(instance.get().value());
            stored.add(new StoreResult.StoredInstance(item.uid(REFERENCED_SOP_CLASS_UID).orElse(null), instance.get(),
                    item.string(RETRIEVE_URL).orElse(""), item.integer(WARNING_REASON).orElse(0)));
        }
        for (DicomDataSet item : body.sequence(FAILED_SOP_SEQUENCE)) {
            String instance = item.string(REFERENCED_SOP_INSTANCE_UID).orElse("");
            unacknowledged.remove(instance);
            failed.add(new StoreResult.FailedInstance(item.string(REFERENCED_SOP_CLASS_UID).orElse(""), instance,
                    item.integer(FAILURE_REASON).orElse(0x0110)));
        }
        unacknowledged.values().forEach(header -> failed.add(new StoreResult.FailedInstance(
                header.sopClassUid(), header.sopInstanceUid(), StoreResult.NOT_ACKNOWLEDGED)));
        return new StoreResult(stored, failed);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, 0, Math.min(bytes.length, 2048), StandardCharsets.UTF_8);
    }
}
