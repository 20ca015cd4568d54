package org.groundflow.dicomweb.sr;

import org.groundflow.dicomweb.DicomWebException;

/** A structured report cannot be read, or is not the TID 1500 measurement report it claims to be. */
public class MeasurementReportException extends DicomWebException {

    public MeasurementReportException(String message) {
        super(message);
    }

    public MeasurementReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
