package org.groundflow.dicomweb;

/** The server answered with a success status but a body this client cannot use (wrong media type, malformed). */
public class DicomWebResponseException extends DicomWebException {

    private final String url;

    public DicomWebResponseException(String url, String reason) {
        this(url, reason, null);
    }

    public DicomWebResponseException(String url, String reason, Throwable cause) {
        super("Unusable response from " + url + ": " + reason, cause);
        this.url = url;
    }

    public String url() {
        return url;
    }
}
