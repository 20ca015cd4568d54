package org.groundflow.fhir.client;

import java.util.Objects;

/**
 * A DiagnosticReport as the FHIR server stored it.
 *
 * @param readId     the read published
 * @param reportId   the report's logical id on the server
 * @param versionId  the version the server reports (unchanged when the same read was published before); null if the
 *                   server did not say
 * @param superseded true when nothing was sent because the server holds a newer revision of the read's report
 */
public record PublishedReport(String readId, String reportId, String versionId, boolean superseded) {

    public PublishedReport {
        Objects.requireNonNull(readId, "readId");
        Objects.requireNonNull(reportId, "reportId");
        if (reportId.isBlank()) {
            throw new IllegalArgumentException("reportId must not be blank");
        }
    }

    /** A report this publication wrote (or found written the same before). */
    public PublishedReport(String readId, String reportId, String versionId) {
        this(readId, reportId, versionId, false);
    }

    /** The report as a newer revision left it: this publication wrote nothing. */
    static PublishedReport superseded(String readId, String reportId, String versionId) {
        return new PublishedReport(readId, reportId, versionId, true);
    }

    /** A relative reference to the report: {@code DiagnosticReport/<id>}. */
    public String reference() {
        return "DiagnosticReport/" + reportId;
    }
}
