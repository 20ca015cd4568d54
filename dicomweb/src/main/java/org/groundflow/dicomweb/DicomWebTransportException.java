package org.groundflow.dicomweb;

/** A DICOMweb request did not get a complete answer: connection refused or reset, timeout, interrupted. */
public class DicomWebTransportException extends DicomWebException {

    private final String url;
    private final boolean timeout;

    public DicomWebTransportException(String url, boolean timeout, String reason, Throwable cause) {
        super((timeout ? "Timed out" : "Transport failure") + " on " + url + ": " + reason, cause);
        this.url = url;
        this.timeout = timeout;
    }

    public String url() {
        return url;
    }

    /** Whether the request failed because a connect or read timeout ran out. */
    public boolean isTimeout() {
        return timeout;
    }
}
