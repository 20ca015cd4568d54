package org.groundflow.dicomweb;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a STOW-RS response (PS3.18 10.5.3) into per-instance outcomes. */
final class StowResponse {

    private static final String FAILED_SOP_SEQUENCE = "00081198";
    private static final String REFERENCED_SOP_SEQUENCE = "00081199";
    private static final String FAILURE_REASON = "00081197";
    private static final String REFERENCED_SOP_CLASS_UID = "00081150";
    private static final String REFERENCED_SOP_INSTANCE_UID = "00081155";
    private static final String RETRIEVE_URL = "00081190";

    private StowResponse() {
    }

    /** 200 all stored, 202 some stored or warnings, 409 none stored: all three carry a per-instance body. */
    static boolean isStowStatus(int status) {
        return status == 200 || status == 202 || status == 409;
    }

    static StoreResult read(HttpTransport.Response response, List<DicomFileHeader> sent) throws IOException {
        Optional<DicomJson> body;
        try {
            DicomWebClient.requireJson(response);
            body = DicomJson.readObject(response.url(), response.body());
        } catch (DicomWebResponseException e) {
            if (response.status() == 409) {
                throw new DicomWebStatusException(response.url(), 409, e.getMessage());
            }
            throw e;
        }
        if (body.isEmpty()) {
            if (response.status() == 200) {
                return allStored(sent);
            }
            throw new DicomWebStatusException(response.url(), response.status(), "no per-instance outcome in the response");
        }
        return outcome(body.get(), sent);
    }

    private static StoreResult allStored(List<DicomFileHeader> sent) {
        List<StoreResult.StoredInstance> stored = sent.stream()
                .map(h -> new StoreResult.StoredInstance(Uid.of(h.sopClassUid()), Uid.of(h.sopInstanceUid()), ""))
                .toList();
        return new StoreResult(stored, List.of());
    }

    private static StoreResult outcome(DicomJson body, List<DicomFileHeader> sent) {
        Map<String, DicomFileHeader> unacknowledged = new LinkedHashMap<>();
        sent.forEach(header -> unacknowledged.put(header.sopInstanceUid(), header));
        List<StoreResult.StoredInstance> stored = new ArrayList<>();
        List<StoreResult.FailedInstance> failed = new ArrayList<>();
        for (DicomJson item : body.sequence(REFERENCED_SOP_SEQUENCE)) {
            Optional<Uid> instance = item.uid(REFERENCED_SOP_INSTANCE_UID);
            if (instance.isEmpty()) {
                continue;
            }
            unacknowledged.remove(instance.get().value());
            stored.add(new StoreResult.StoredInstance(item.uid(REFERENCED_SOP_CLASS_UID).orElse(null), instance.get(),
                    item.string(RETRIEVE_URL).orElse("")));
        }
        for (DicomJson item : body.sequence(FAILED_SOP_SEQUENCE)) {
            String instance = item.string(REFERENCED_SOP_INSTANCE_UID).orElse("");
            unacknowledged.remove(instance);
            failed.add(new StoreResult.FailedInstance(item.string(REFERENCED_SOP_CLASS_UID).orElse(""), instance,
                    item.integer(FAILURE_REASON).orElse(0x0110)));
        }
        unacknowledged.values().forEach(header -> failed.add(new StoreResult.FailedInstance(
                header.sopClassUid(), header.sopInstanceUid(), StoreResult.NOT_ACKNOWLEDGED)));
        return new StoreResult(stored, failed);
    }
}
