package org.groundflow.dicomweb;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** One study as a QIDO-RS search returns it. Carries no patient data, so it may be logged. */
public record StudyRecord(
        Uid studyInstanceUid,
        Optional<LocalDate> studyDate,
        String accessionNumber,
        List<String> modalitiesInStudy,
        OptionalInt numberOfStudyRelatedInstances) {

    public StudyRecord {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        Objects.requireNonNull(studyDate, "studyDate");
        accessionNumber = accessionNumber == null ? "" : accessionNumber;
        modalitiesInStudy = List.copyOf(modalitiesInStudy);
        Objects.requireNonNull(numberOfStudyRelatedInstances, "numberOfStudyRelatedInstances");
    }

    static StudyRecord from(DicomJson json, String url) {
        Uid uid = json.uid(DicomWebClient.STUDY_INSTANCE_UID)
                .orElseThrow(() -> new DicomWebResponseException(url, "a study without a valid StudyInstanceUID"));
        return new StudyRecord(uid, json.date("00080020"), json.string("00080050").orElse(""),
                json.strings("00080061"), json.integer("00201208"));
    }
}
