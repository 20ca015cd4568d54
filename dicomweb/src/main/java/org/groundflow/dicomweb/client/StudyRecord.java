package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.DicomWebResponseException;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.format.DicomDataSet;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One study as a QIDO-RS search returns it. The components carry no patient data, so the record may be logged;
 * everything the server returned (patient attributes included) is in {@link #attributes()}, whose
 * {@code toString()} shows tags only.
 */
public record StudyRecord(
        Uid studyInstanceUid,
        Optional<LocalDate> studyDate,
        String accessionNumber,
        List<String> modalitiesInStudy,
        OptionalInt numberOfStudyRelatedInstances,
        DicomDataSet attributes) {

    public StudyRecord {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        Objects.requireNonNull(studyDate, "studyDate");
        accessionNumber = accessionNumber == null ? "" : accessionNumber;
        modalitiesInStudy = List.copyOf(modalitiesInStudy);
        Objects.requireNonNull(numberOfStudyRelatedInstances, "numberOfStudyRelatedInstances");
        attributes = attributes == null ? DicomDataSet.empty() : attributes;
    }

    public StudyRecord(Uid studyInstanceUid, Optional<LocalDate> studyDate, String accessionNumber,
                       List<String> modalitiesInStudy, OptionalInt numberOfStudyRelatedInstances) {
        this(studyInstanceUid, studyDate, accessionNumber, modalitiesInStudy, numberOfStudyRelatedInstances,
                DicomDataSet.empty());
    }

    /** StudyDescription (0008,1030), when the server returned it. */
    public Optional<String> studyDescription() {
        return attributes.string("00081030");
    }

    static StudyRecord from(DicomDataSet json, String url) {
        Uid uid = json.uid("0020000D")
                .orElseThrow(() -> new DicomWebResponseException(url, "a study without a valid StudyInstanceUID"));
        return new StudyRecord(uid, json.date("00080020"), json.string("00080050").orElse(""),
                json.strings("00080061"), json.integer("00201208"), json);
    }
}
