package org.groundflow.fhir.client;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.client.exceptions.FhirClientInappropriateForServerException;
import ca.uhn.fhir.rest.client.exceptions.InvalidResponseException;
import ca.uhn.fhir.rest.client.exceptions.NonFhirResponseException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import org.hl7.fhir.r4.model.OperationOutcome;

/** Turns what HAPI's client throws into this module's exceptions, by HTTP status; HAPI types stay inside. */
final class PublicationFailures {

    private PublicationFailures() {
    }

    static FhirPublicationException translate(RuntimeException e, String readId, String baseUrl) {
        return translate(e, "the transaction of read " + readId + " to FHIR server " + baseUrl);
    }

    /** @param what the call that failed, for the message, e.g. "the Patient search of study 1.2.3 at FHIR server X" */
    static FhirPublicationException translate(RuntimeException e, String what) {
        if (e instanceof FhirPublicationException already) {
            return already; // e.g. from the SMART token endpoint
        }
        if (e instanceof FhirClientConnectionException && e.getCause() instanceof SSLException ssl
                && !(ssl.getCause() instanceof java.net.SocketException)) {
            // a certificate the trust store does not vouch for, or no common protocol: configuration, not transient
            return new FhirAuthorizationException(what + " failed in the TLS handshake (is the server's certificate in "
                    + "the trust store?): " + ssl.getMessage(), 0, "", ssl);
        }
        if (e instanceof FhirClientConnectionException && e.getCause() instanceof DataFormatException) {
            return new FhirProtocolException(what + " got an answer that could not be parsed", 200,
                    e.getCause().getMessage(), null);
        }
        if (e instanceof FhirClientConnectionException) {
            // Transport failure (connection refused, timeout): no HTTP answer. Keep only the I/O cause, which names
            // no patient data; HAPI's own exception stays inside this module.
            Throwable io = e.getCause();
            return new FhirUnavailableException(what + " got no answer" + (io == null ? "" : ": " + io), 0, "", io);
        }
        if (e instanceof BaseServerResponseException response) {
            int status = response.getStatusCode();
            String server = serverMessage(response);
            boolean unusableAnswer = response instanceof FhirClientInappropriateForServerException
                    || response instanceof InvalidResponseException || response instanceof NonFhirResponseException;
            if (status >= 400 || !unusableAnswer) {
                return byStatus(what, status, server);
            }
            return new FhirProtocolException(what + " got an answer that is not FHIR (status " + status + ")", status,
                    server, null);
        }
        if (e instanceof DataFormatException) {
            return new FhirProtocolException(what + " got an answer that could not be parsed", 200, e.getMessage(), null);
        }
        return new FhirProtocolException(what + " failed in the FHIR client: " + e.getClass().getSimpleName(), 0,
                e.getMessage(), null);
    }

    static FhirPublicationException byStatus(String what, int status, String server) {
        String message = what + " failed with HTTP " + status;
        if (status == 401 || status == 403) {
            return new FhirAuthorizationException(message + (status == 401 ? " (credentials refused)" : " (access denied)"),
                    status, server, null);
        }
        if (status == 409) {
            return new FhirConflictException(message + " (conflict: the same resources were changed concurrently)",
                    status, server, null);
        }
        if (status == 412) {
            return new FhirConflictException(message + " (precondition failed: a conditional entry matched more than "
                    + "one resource, the server holds duplicates of one of the read's identifiers)", status, server, null);
        }
        if (status == 408 || status == 429 || status >= 500) {
            return new FhirUnavailableException(message, status, server, null);
        }
        if (status >= 400) {
            return new FhirRejectedException(message, status, server, null);
        }
        return new FhirProtocolException(message + " (unexpected status)", status, server, null);
    }

    /** The server's OperationOutcome diagnostics, else HAPI's message. */
    private static String serverMessage(BaseServerResponseException e) {
        if (e.getOperationOutcome() instanceof OperationOutcome outcome && outcome.hasIssue()) {
            return outcome.getIssue().stream()
                    .map(issue -> issue.getSeverity() + " " + issue.getCode() + ": " + issue.getDiagnostics())
                    .collect(Collectors.joining("; "));
        }
        return e.getMessage() == null ? "" : e.getMessage();
    }
}
