package org.groundflow.dicomweb.volume;

import org.groundflow.dicomweb.DicomWebException;

/** A series cannot be decoded into one regular {@link ImageVolume}; the message names the series and the reason. */
public class VolumeException extends DicomWebException {

    private final String seriesInstanceUid;

    public VolumeException(String seriesInstanceUid, String reason) {
        this(seriesInstanceUid, reason, null);
    }

    public VolumeException(String seriesInstanceUid, String reason, Throwable cause) {
        super("Series " + (seriesInstanceUid == null || seriesInstanceUid.isBlank() ? "(unknown)" : seriesInstanceUid)
                + ": " + reason, cause);
        this.seriesInstanceUid = seriesInstanceUid;
    }

    /** The Series Instance UID as read from the files, or null when it could not be read. */
    public String seriesInstanceUid() {
        return seriesInstanceUid;
    }
}
