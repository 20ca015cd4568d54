package org.groundflow.dicomweb;

/**
 * Base of every error this module reports: DICOMweb calls, DICOM decoding and encoding.
 * Messages name URLs, HTTP statuses, UIDs and reasons, never patient data.
 */
public class DicomWebException extends RuntimeException {

    public DicomWebException(String message) {
        super(message);
    }

    public DicomWebException(String message, Throwable cause) {
        super(message, cause);
    }
}
