package org.groundflow.fhir.client;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.IQuery;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.groundflow.fhir.mapping.PublicationRequest;
import org.groundflow.fhir.mapping.ReportMapper;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;

/**
 * The version guard of a read's DiagnosticReport: before a revision is sent, the report the server holds is looked
 * up ({@code GET DiagnosticReport?identifier=urn:groundflow:read|<read id>}). A report issued after the revision to
 * send is newer (a later amendment or the retraction): nothing is sent. Otherwise the report's entry is sent as an
 * update of the version seen ({@code PUT DiagnosticReport/<id>} with {@code If-Match: W/"<version>"}), so a revision
 * that loses a race with another, written between the look-up and the transaction, is refused by the server (409 or
 * 412) instead of overwriting it; the engine's retry then finds the newer report and stops.
 */
final class ReportVersions {

    /** The read's report as the server holds it; {@code issued} is the time of the revision it shows. */
    record Stored(String id, String versionId, Instant issued) {

        /** Whether this report shows a revision made after {@code recordedAt} (compared to the millisecond). */
        boolean newerThan(Instant recordedAt) {
            return issued != null && issued.isAfter(recordedAt.truncatedTo(ChronoUnit.MILLIS));
        }
    }

    private final IGenericClient client;
    private final Supplier<String> bearerToken;
    private final String baseUrl;

    ReportVersions(IGenericClient client, Supplier<String> bearerToken, String baseUrl) {
        this.client = client;
        this.bearerToken = bearerToken;
        this.baseUrl = baseUrl;
    }

    /** The read's report on the server; empty when there is none, or several (the transaction then says so). */
    Optional<Stored> stored(PublicationRequest request) {
        IQuery<Bundle> query = client.search().forResource(DiagnosticReport.class)
                .where(DiagnosticReport.IDENTIFIER.exactly().systemAndIdentifier(ReportMapper.READ_IDENTIFIER_SYSTEM,
                        request.readId()))
                .count(2).returnBundle(Bundle.class);
        String token = bearerToken.get();
        if (token != null) {
            query = query.withAdditionalHeader("Authorization", "Bearer " + token);
        }
        Bundle result;
        try {
            result = query.execute();
        } catch (RuntimeException e) {
            throw PublicationFailures.translate(e, "the DiagnosticReport search of study " + request.studyInstanceUid()
                    + " (read " + request.readId() + ") at FHIR server " + baseUrl);
        }
        List<DiagnosticReport> reports = result.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(DiagnosticReport.class::isInstance).map(DiagnosticReport.class::cast).toList();
        if (reports.size() != 1) {
            return Optional.empty();
        }
        DiagnosticReport report = reports.get(0);
        return Optional.of(new Stored(report.getIdElement().getIdPart(), report.getMeta().getVersionId(),
                report.hasIssued() ? report.getIssued().toInstant() : null));
    }

    /** Makes the bundle's DiagnosticReport entry an update of the stored version, refused if another came first. */
    static void expect(Bundle bundle, Stored stored) {
        if (stored.versionId() == null) {
            return;
        }
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.getResource() instanceof DiagnosticReport) {
                entry.getRequest().setUrl("DiagnosticReport/" + stored.id()).setIfMatch("W/\"" + stored.versionId() + "\"");
            }
        }
    }
}
