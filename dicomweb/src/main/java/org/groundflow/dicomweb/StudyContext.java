package org.groundflow.dicomweb;

/**
 * Patient and study attributes of a source series that every derived object (SEG, SR) must repeat.
 * Holds patient data: keep it in memory and in DICOM objects, never in logs.
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
        String studyDescription) {
}
