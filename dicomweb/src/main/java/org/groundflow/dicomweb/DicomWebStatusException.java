package org.groundflow.dicomweb;

/** The server answered a DICOMweb request with an HTTP status the call does not accept. */
public class DicomWebStatusException extends DicomWebException {

    private static final int MAX_EXCERPT = 300;

    private final String url;
    private final int status;
    private final String serverMessage;

    /**
     * @param url the request URL without its query string
     * @param status the HTTP status code
     * @param serverMessage the start of the response body, may be empty
     */
    public DicomWebStatusException(String url, int status, String serverMessage) {
        super(message(url, status, excerpt(serverMessage)));
        this.url = url;
        this.status = status;
        this.serverMessage = excerpt(serverMessage);
    }

    public String url() {
        return url;
    }

    public int status() {
        return status;
    }

    /** The first few hundred characters of the response body, whitespace collapsed; empty when there was none. */
    public String serverMessage() {
        return serverMessage;
    }

    /** Whether a later identical request might succeed (408, 429, 500, 502, 503, 504). */
    public boolean isTransient() {
        return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    private static String message(String url, int status, String excerpt) {
        return "HTTP " + status + " from " + url + (excerpt.isEmpty() ? "" : ": " + excerpt);
    }

    private static String excerpt(String body) {
        if (body == null) {
            return "";
        }
        String flat = body.replaceAll("\\s+", " ").strip();
        return flat.length() <= MAX_EXCERPT ? flat : flat.substring(0, MAX_EXCERPT) + "...";
    }
}
