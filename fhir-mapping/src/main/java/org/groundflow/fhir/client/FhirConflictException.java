package org.groundflow.fhir.client;

/**
 * The server refused the transaction because of the state of what it holds: 409 Conflict (another request changed
 * the same resource at the same time: retryable, the bundle is idempotent) or 412 Precondition Failed (a conditional
 * entry matched more than one resource, i.e. the server holds duplicates of one of the read's identifiers: not
 * retryable until someone resolves them).
 */
public final class FhirConflictException extends FhirPublicationException {

    FhirConflictException(String message, int status, String serverMessage, Throwable cause) {
        super(message, status, serverMessage, cause);
    }

    @Override
    public boolean retryable() {
        return status() == 409;
    }
}
