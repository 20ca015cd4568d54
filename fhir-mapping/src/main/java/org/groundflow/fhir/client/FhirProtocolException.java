package org.groundflow.fhir.client;

/** The server answered, but not with a transaction-response naming the DiagnosticReport: not retryable. */
public final class FhirProtocolException extends FhirPublicationException {

    FhirProtocolException(String message, int status, String serverMessage, Throwable cause) {
        super(message, status, serverMessage, cause);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
