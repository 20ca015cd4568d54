package org.groundflow.dicomweb;

/**
 * A DICOMweb request did not get a complete answer: connection refused or reset, timeout, TLS failure, interrupted.
 */
public class DicomWebTransportException extends DicomWebException {

    private final String url;
    private final boolean timeout;
    private final boolean retryable;

    public DicomWebTransportException(String url, boolean timeout, String reason, Throwable cause) {
        this(url, timeout, true, reason, cause);
    }

    /**
     * @param retryable whether repeating the request could help (not after a TLS handshake failure)
     */
    public DicomWebTransportException(String url, boolean timeout, boolean retryable, String reason, Throwable cause) {
        super((timeout ? "Timed out" : "Transport failure") + " on " + url + ": " + reason, cause);
        this.url = url;
        this.timeout = timeout;
        this.retryable = retryable;
    }

    public String url() {
        return url;
    }

    /** Whether the request failed because a connect or read timeout ran out. */
    public boolean isTimeout() {
        return timeout;
    }

    /** Whether an idempotent request that failed this way may be repeated. */
    public boolean isRetryable() {
        return retryable;
    }
}
