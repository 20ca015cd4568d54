package org.groundflow.fhir.client;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.IdType;

/** Reads a server's answer to a read's transaction: every entry must have succeeded; the report's id and version. */
final class TransactionResponses {

    private TransactionResponses() {
    }

    static PublishedReport report(Bundle response, Bundle sent, String readId, String baseUrl) {
        String what = "FHIR server " + baseUrl + " accepted the transaction of read " + readId + " but ";
        if (response == null || (response.hasType() && response.getType() != Bundle.BundleType.TRANSACTIONRESPONSE
                && response.getType() != Bundle.BundleType.BATCHRESPONSE)) {
            throw protocol(what + "the answer is not a transaction-response");
        }
        if (response.getEntry().size() != sent.getEntry().size()) {
            throw protocol(what + "the transaction-response has " + response.getEntry().size()
                    + " entries for " + sent.getEntry().size() + " sent");
        }
        requireAllSucceeded(response, sent, what);
        int reportIndex = reportIndex(sent);
        Bundle.BundleEntryComponent entry = response.getEntry().get(reportIndex);
        IdType id = null;
        if (entry.getResponse().hasLocation()) {
            id = new IdType(entry.getResponse().getLocation());
        } else if (entry.getResource() instanceof DiagnosticReport report && report.getIdElement().hasIdPart()) {
            id = report.getIdElement();
        }
        if (id == null || !id.hasIdPart() || (id.hasResourceType() && !"DiagnosticReport".equals(id.getResourceType()))) {
            throw protocol(what + "entry " + reportIndex + " of the transaction-response names no DiagnosticReport");
        }
        String version = id.hasVersionIdPart() ? id.getVersionIdPart() : etagVersion(entry.getResponse().getEtag());
        return new PublishedReport(readId, id.getIdPart(), version);
    }

    /**
     * A server that treats the transaction as a batch answers some entries with errors: name them (by type and
     * status only) and say whether sending the read again may complete it.
     */
    private static void requireAllSucceeded(Bundle response, Bundle sent, String what) {
        List<String> failed = new ArrayList<>();
        boolean allRetryable = true;
        for (int i = 0; i < response.getEntry().size(); i++) {
            String status = response.getEntry().get(i).getResponse().getStatus();
            int code = statusCode(status);
            if (code >= 200 && code < 300) {
                continue;
            }
            failed.add("entry " + i + " (" + sent.getEntry().get(i).getResource().fhirType() + "): "
                    + (status == null || status.isBlank() ? "no status" : status.trim()));
            allRetryable &= code == 408 || code == 409 || code == 429 || code >= 500;
        }
        if (!failed.isEmpty()) {
            throw new FhirIncompleteException(what + failed.size() + " of " + response.getEntry().size()
                    + " entries failed (the server did not apply it as one transaction): " + String.join("; ", failed),
                    String.join("\n", failed), allRetryable);
        }
    }

    /** The status code at the start of an entry's status ("201 Created"), or -1. */
    static int statusCode(String status) {
        if (status == null) {
            return -1;
        }
        String trimmed = status.trim();
        int end = 0;
        while (end < trimmed.length() && Character.isDigit(trimmed.charAt(end))) {
            end++;
        }
        return end == 3 ? Integer.parseInt(trimmed.substring(0, 3)) : -1;
    }

    private static int reportIndex(Bundle bundle) {
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            if (bundle.getEntry().get(i).getResource() instanceof DiagnosticReport) {
                return i;
            }
        }
        throw new IllegalStateException("the mapped bundle has no DiagnosticReport");
    }

    /** The version in an ETag such as {@code W/"3"}, or null. */
    static String etagVersion(String etag) {
        if (etag == null || etag.isBlank()) {
            return null;
        }
        String value = etag.startsWith("W/") ? etag.substring(2) : etag;
        value = value.replace("\"", "").trim();
        return value.isEmpty() ? null : value;
    }

    private static FhirProtocolException protocol(String message) {
        return new FhirProtocolException(message, 200, "", null);
    }
}
