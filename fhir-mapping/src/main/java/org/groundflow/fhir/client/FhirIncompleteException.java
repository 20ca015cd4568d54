package org.groundflow.fhir.client;

/**
 * The server answered the transaction as if it were a batch: some entries succeeded and others failed. Publishing
 * the same read again is safe (every entry is conditional), so this is retryable when every failed entry failed for
 * a reason that may pass (5xx, 408, 429, 409); otherwise someone has to look at the server's answer first.
 */
public final class FhirIncompleteException extends FhirPublicationException {

    private final boolean retryable;

    FhirIncompleteException(String message, String serverMessage, boolean retryable) {
        super(message, 200, serverMessage, null);
        this.retryable = retryable;
    }

    @Override
    public boolean retryable() {
        return retryable;
    }
}
