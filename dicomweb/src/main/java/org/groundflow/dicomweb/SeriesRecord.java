package org.groundflow.dicomweb;

import java.util.Objects;
import java.util.OptionalInt;

/** One series as a QIDO-RS search returns it. */
public record SeriesRecord(
        Uid seriesInstanceUid,
        String modality,
        OptionalInt seriesNumber,
        String seriesDescription,
        OptionalInt numberOfSeriesRelatedInstances) {

    public SeriesRecord {
        Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        modality = modality == null ? "" : modality;
        Objects.requireNonNull(seriesNumber, "seriesNumber");
        seriesDescription = seriesDescription == null ? "" : seriesDescription;
        Objects.requireNonNull(numberOfSeriesRelatedInstances, "numberOfSeriesRelatedInstances");
    }

    static SeriesRecord from(DicomJson json, String url) {
        Uid uid = json.uid("0020000E")
                .orElseThrow(() -> new DicomWebResponseException(url, "a series without a valid SeriesInstanceUID"));
        return new SeriesRecord(uid, json.string("00080060").orElse(""), json.integer("00200011"),
                json.string("0008103E").orElse(""), json.integer("00201209"));
    }
}
