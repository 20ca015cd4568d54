package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.DicomWebResponseException;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.format.DicomDataSet;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** One series as a QIDO-RS search returns it; everything the server returned is in {@link #attributes()}. */
public record SeriesRecord(
        Uid seriesInstanceUid,
        String modality,
        OptionalInt seriesNumber,
        String seriesDescription,
        OptionalInt numberOfSeriesRelatedInstances,
        DicomDataSet attributes) {

    public SeriesRecord {
        Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        modality = modality == null ? "" : modality;
        Objects.requireNonNull(seriesNumber, "seriesNumber");
        seriesDescription = seriesDescription == null ? "" : seriesDescription;
        Objects.requireNonNull(numberOfSeriesRelatedInstances, "numberOfSeriesRelatedInstances");
        attributes = attributes == null ? DicomDataSet.empty() : attributes;
    }

    public SeriesRecord(Uid seriesInstanceUid, String modality, OptionalInt seriesNumber, String seriesDescription,
                        OptionalInt numberOfSeriesRelatedInstances) {
        this(seriesInstanceUid, modality, seriesNumber, seriesDescription, numberOfSeriesRelatedInstances,
                DicomDataSet.empty());
    }

    /** The study the series belongs to, when the server returned StudyInstanceUID (searches across studies do). */
    public Optional<Uid> studyInstanceUid() {
        return attributes.uid("0020000D");
    }

    static SeriesRecord from(DicomDataSet json, String url) {
        Uid uid = json.uid("0020000E")
                .orElseThrow(() -> new DicomWebResponseException(url, "a series without a valid SeriesInstanceUID"));
        return new SeriesRecord(uid, json.string("00080060").orElse(""), json.integer("00200011"),
                json.string("0008103E").orElse(""), json.integer("00201209"), json);
    }
}
