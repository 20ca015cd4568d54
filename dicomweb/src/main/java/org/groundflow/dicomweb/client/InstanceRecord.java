package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.DicomWebResponseException;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.format.DicomDataSet;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * One instance as a QIDO-RS search returns it; everything the server returned is in {@link #attributes()}.
 *
 * @param sopClassUid null when the server did not return SOPClassUID
 */
public record InstanceRecord(
        Uid studyInstanceUid,
        Uid seriesInstanceUid,
        Uid sopInstanceUid,
        Uid sopClassUid,
        OptionalInt instanceNumber,
        OptionalInt numberOfFrames,
        DicomDataSet attributes) {

    public InstanceRecord {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
        Objects.requireNonNull(instanceNumber, "instanceNumber");
        Objects.requireNonNull(numberOfFrames, "numberOfFrames");
        attributes = attributes == null ? DicomDataSet.empty() : attributes;
    }

    /**
     * @param study  the study searched, used when the result does not repeat its StudyInstanceUID; may be null
     * @param series the series searched, likewise; may be null
     */
    static InstanceRecord from(DicomDataSet json, String url, Uid study, Uid series) {
        Uid instance = json.uid("00080018")
                .orElseThrow(() -> new DicomWebResponseException(url, "an instance without a valid SOPInstanceUID"));
        Uid studyUid = json.uid("0020000D").or(() -> java.util.Optional.ofNullable(study))
                .orElseThrow(() -> new DicomWebResponseException(url, "instance " + instance + " without a StudyInstanceUID"));
        Uid seriesUid = json.uid("0020000E").or(() -> java.util.Optional.ofNullable(series))
                .orElseThrow(() -> new DicomWebResponseException(url, "instance " + instance + " without a SeriesInstanceUID"));
        return new InstanceRecord(studyUid, seriesUid, instance, json.uid("00080016").orElse(null),
                json.integer("00200013"), json.integer("00280008"), json);
    }
}
