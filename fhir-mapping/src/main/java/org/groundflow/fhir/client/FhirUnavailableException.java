package org.groundflow.fhir.client;

/** The server failed (5xx), was too busy (408, 429) or did not answer in time (status 0): retryable. */
public final class FhirUnavailableException extends FhirPublicationException {

    FhirUnavailableException(String message, int status, String serverMessage, Throwable cause) {
        super(message, status, serverMessage, cause);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
