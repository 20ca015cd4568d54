package org.groundflow.fhir.client;

/**
 * Publishing a read to the FHIR server failed. The subtype says what a caller may do about it; {@link #status()}
 * is the HTTP status, or 0 when no HTTP answer came (connection refused, timeout).
 *
 * <p>Messages name the read, the server and the status, never patient data. What the server said (its
 * OperationOutcome diagnostics, which may echo resource content) is kept apart in {@link #serverMessage()}.
 */
public abstract sealed class FhirPublicationException extends RuntimeException
        permits FhirAuthorizationException, FhirRejectedException, FhirUnavailableException, FhirProtocolException,
        FhirConflictException, FhirIncompleteException, FhirInvalidBundleException, FhirPatientNotFoundException {

    private final int status;
    private final String serverMessage;

    FhirPublicationException(String message, int status, String serverMessage, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.serverMessage = serverMessage == null ? "" : serverMessage;
    }

    /** The HTTP status of the answer, 0 when there was none. */
    public int status() {
        return status;
    }

    /** What the server said about the failure (may contain patient data: don't log it); empty if nothing. */
    public String serverMessage() {
        return serverMessage;
    }

    /** Whether sending the same bundle again may succeed without anyone changing anything. */
    public abstract boolean retryable();
}
