package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.CodedConcept;

/**
 * Why instances are rejected (IHE Imaging Object Change Management; codes of DICOM CID 7011 "Rejected for Quality
 * Reasons" and the other key object selection document titles, coding scheme DCM).
 */
public enum RejectionReason {
    /** (113001, DCM, "Rejected for Quality Reasons") */
    QUALITY("113001", "Rejected for Quality Reasons"),
    /** (113037, DCM, "Rejected for Patient Safety Reasons") */
    PATIENT_SAFETY("113037", "Rejected for Patient Safety Reasons"),
    /** (113038, DCM, "Incorrect Modality Worklist Entry") */
    INCORRECT_MODALITY_WORKLIST_ENTRY("113038", "Incorrect Modality Worklist Entry"),
    /** (113039, DCM, "Data Retention Policy Expired") */
    DATA_RETENTION_POLICY_EXPIRED("113039", "Data Retention Policy Expired");

    private final CodedConcept code;

    RejectionReason(String value, String meaning) {
        this.code = new CodedConcept(value, "DCM", meaning);
    }

    public CodedConcept code() {
        return code;
    }

    /** {@code 113001%5EDCM}: the code as dcm4chee-arc's reject path segment ({@code 113001^DCM}). */
    String pathSegment() {
        return code.value() + "%5E" + code.scheme();
    }
}
