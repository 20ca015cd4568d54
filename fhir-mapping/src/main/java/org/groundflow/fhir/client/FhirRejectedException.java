package org.groundflow.fhir.client;

/** The server rejected the bundle (4xx other than 401, 403, 408, 429): retrying the same bundle won't help. */
public final class FhirRejectedException extends FhirPublicationException {

    FhirRejectedException(String message, int status, String serverMessage, Throwable cause) {
        super(message, status, serverMessage, cause);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
