package org.groundflow.fhir.client;

import java.util.Objects;

/**
 * A DiagnosticReport as the FHIR server stored it.
 *
 * @param readId    the read published
 * @param reportId  the report's logical id on the server
 * @param versionId the version the server reports (unchanged when the same read was published before); null if the
 *                  server did not say
 */
public record PublishedReport(String readId, String reportId, String versionId) {

    public PublishedReport {
        Objects.requireNonNull(readId, "readId");
        Objects.requireNonNull(reportId, "reportId");
        if (reportId.isBlank()) {
            throw new IllegalArgumentException("reportId must not be blank");
        }
    }

    /** A relative reference to the report: {@code DiagnosticReport/<id>}. */
    public String reference() {
        return "DiagnosticReport/" + reportId;
    }
}
