package org.groundflow.fhir.client;

/** The server refused the credentials (401) or the access (403): a configuration problem, not retryable. */
public final class FhirAuthorizationException extends FhirPublicationException {

    FhirAuthorizationException(String message, int status, String serverMessage, Throwable cause) {
        super(message, status, serverMessage, cause);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
