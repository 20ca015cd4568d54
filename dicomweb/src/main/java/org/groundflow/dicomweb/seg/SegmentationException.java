package org.groundflow.dicomweb.seg;

import org.groundflow.dicomweb.DicomWebException;

/** A DICOM Segmentation cannot be read, or does not fit the image volume it is applied to. */
public class SegmentationException extends DicomWebException {

    public SegmentationException(String message) {
        super(message);
    }

    public SegmentationException(String message, Throwable cause) {
        super(message, cause);
    }
}
