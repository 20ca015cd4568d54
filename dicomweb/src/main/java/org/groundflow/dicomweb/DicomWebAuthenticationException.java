package org.groundflow.dicomweb;

/**
 * The OAuth 2.0 token endpoint refused to issue an access token or answered something unusable; {@link #url()} is the
 * token endpoint, {@link #status()} its HTTP status (0 when the answer was not a usable token response).
 */
public class DicomWebAuthenticationException extends DicomWebStatusException {

    public DicomWebAuthenticationException(String tokenUrl, int status, String serverMessage) {
        super(tokenUrl, status, serverMessage);
    }

    @Override
    public String getMessage() {
        return "OAuth2 token request failed: " + super.getMessage();
    }
}
