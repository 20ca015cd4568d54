package org.groundflow.dicomweb;

/**
 * Patient and study attributes of a source series that every derived object (SEG, SR) must repeat.
 * Holds patient data: keep it in memory and in DICOM objects, never in logs.
 *
 * @param issuerOfPatientId Issuer of Patient ID (0010,0021): the authority that assigned {@code patientId}; empty
 *                          or null when the source names none
 */
public record StudyContext(
        String patientName,
        String patientId,
        String patientBirthDate,
        String patientSex,
        String studyDate,
        String studyTime,
        String studyId,
        String accessionNumber,
        String referringPhysicianName,
        String studyDescription,
        String issuerOfPatientId) {

    /** Attributes of a source that names no Issuer of Patient ID. */
    public StudyContext(String patientName, String patientId, String patientBirthDate, String patientSex,
                        String studyDate, String studyTime, String studyId, String accessionNumber,
                        String referringPhysicianName, String studyDescription) {
        this(patientName, patientId, patientBirthDate, patientSex, studyDate, studyTime, studyId, accessionNumber,
                referringPhysicianName, studyDescription, null);
    }
}
