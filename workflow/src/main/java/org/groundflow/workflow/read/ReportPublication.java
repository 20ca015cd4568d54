package org.groundflow.workflow.read;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.dicomweb.Uid;
import org.groundflow.fhir.client.FhirPublisher;
import org.groundflow.fhir.mapping.PublicationRequest;
import org.groundflow.fhir.client.PublishedReport;
import org.groundflow.fhir.mapping.ReportMapper;
import org.groundflow.fhir.mapping.ReportRevision;
import org.groundflow.review.SignOff;
import org.groundflow.workflow.config.GroundflowProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Publishes a signed read as a FHIR transaction (DiagnosticReport and its resources) to the EHR, or, when no FHIR
 * server is configured, writes the bundle to the work folder and answers with its file name. Amendments update the
 * same report (status amended), a retraction makes it entered-in-error; an older revision never overwrites a newer.
 */
@Service
public class ReportPublication {

    private static final Logger log = LoggerFactory.getLogger(ReportPublication.class);

    private final ObjectProvider<FhirPublisher> publisher;
    private final ReportMapper mapper;
    private final PublicationInputs inputs;
    private final GroundflowProperties properties;

    public ReportPublication(ObjectProvider<FhirPublisher> publisher, ReportMapper mapper, PublicationInputs inputs,
                             GroundflowProperties properties) {
        this.publisher = publisher;
        this.mapper = mapper;
        this.inputs = inputs;
        this.properties = properties;
    }

    /** @return the DiagnosticReport's id on the FHIR server, or {@code file:<path>} in file-only mode */
    public String publish(String readId, Uid study, Uid segSopInstanceUid) {
        return publishIfNewest(readId, study, segSopInstanceUid, null).orElseThrow();
    }

    /**
     * Publishes the sign-off of {@code readId} made at {@code signedAt} if it is still the read's newest: final when it
     * is the first sign-off, amended when it amends one (findings the one before kept and this one does not become
     * entered-in-error). The FHIR server's report is updated only if it shows no newer revision
     * ({@link FhirPublisher#publishIfNewest}).
     *
     * @param signedAt the sign-off this publication is for; null for the newest
     * @return the DiagnosticReport's id (or {@code file:<path>}); empty when a newer revision supersedes this one
     */
    public Optional<String> publishIfNewest(String readId, Uid study, Uid segSopInstanceUid, Instant signedAt) {
        Optional<SignOff> newest = inputs.newest(readId, study, signedAt);
        if (newest.isEmpty()) {
            return Optional.empty();
        }
        SignOff signOff = newest.get();
        ReportRevision revision = inputs.previous(signOff)
                .<ReportRevision>map(previous -> ReportRevision.amended(signOff, previous))
                .orElseGet(() -> ReportRevision.signed(signOff));
        return send(request(revision, study, signOff.kept().isEmpty() ? null : segSopInstanceUid), study);
    }

    /**
     * Publishes the read's retraction: its report, as last signed, becomes entered-in-error, and so do the
     * Observations of its findings.
     *
     * @return the DiagnosticReport's id (or {@code file:<path>})
     */
    public String retract(String readId, Uid study, Retraction retraction, Uid segSopInstanceUid) {
        SignOff signOff = inputs.signOff(readId, study);
        ReportRevision revision = ReportRevision.retracted(signOff, retraction.retractedBy(), retraction.retractedAt());
        return send(request(revision, study, signOff.kept().isEmpty() ? null : segSopInstanceUid), study)
                .orElseThrow(() -> new ReadFailure("study " + study + ": the FHIR server holds a report of read "
                        + readId + " issued after its retraction at " + retraction.retractedAt()));
    }

    private PublicationRequest request(ReportRevision revision, Uid study, Uid segSopInstanceUid) {
        VolumeGeometry series = inputs.geometry(((ReportRevision.OfSignOff) revision).signOff(), study);
        return new PublicationRequest(revision, series.study(), series.seriesInstanceUid(), segSopInstanceUid,
                properties.pacs().url(), properties.organization());
    }

    private Optional<String> send(PublicationRequest request, Uid study) {
        String readId = request.readId();
        FhirPublisher fhir = publisher.getIfAvailable();
        if (fhir == null) {
            try {
                Path file = mapper.writeBundle(request, properties.workDir().resolve("fhir"));
                log.info("read {}: no FHIR server configured, bundle written to {}", readId, file);
                return Optional.of("file:" + file.toAbsolutePath());
            } catch (IOException e) {
                throw new UncheckedIOException("study " + study + ": the FHIR bundle of read " + readId + " cannot be written", e);
            }
        }
        PublishedReport report = fhir.publishIfNewest(request);
        if (report.superseded()) {
            log.info("read {}: {} shows a newer revision; the {} report was not sent", readId, report.reference(),
                    request.status().fhirCode());
            return Optional.empty();
        }
        log.info("read {}: DiagnosticReport {} published ({}, version {})", readId, report.reference(),
                request.status().fhirCode(), report.versionId());
        return Optional.of(report.reportId());
    }
}
