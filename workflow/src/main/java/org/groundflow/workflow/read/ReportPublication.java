package org.groundflow.workflow.read;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.dicomweb.Uid;
import org.groundflow.fhir.client.FhirPublisher;
import org.groundflow.fhir.mapping.PublicationRequest;
import org.groundflow.fhir.client.PublishedReport;
import org.groundflow.fhir.mapping.ReportMapper;
import org.groundflow.review.SignOff;
import org.groundflow.workflow.config.GroundflowProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Publishes a signed read as a FHIR transaction (DiagnosticReport and its resources) to the EHR, or, when no FHIR
 * server is configured, writes the bundle to the work folder and answers with its file name.
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
        SignOff signOff = inputs.signOff(readId, study);
        VolumeGeometry series = inputs.geometry(signOff, study);
        PublicationRequest request = new PublicationRequest(signOff, series.study(), series.seriesInstanceUid(),
                signOff.kept().isEmpty() ? null : segSopInstanceUid, properties.pacs().url(), properties.organization());
        FhirPublisher fhir = publisher.getIfAvailable();
        if (fhir == null) {
            try {
                Path file = mapper.writeBundle(request, properties.workDir().resolve("fhir"));
                log.info("read {}: no FHIR server configured, bundle written to {}", readId, file);
                return "file:" + file.toAbsolutePath();
            } catch (IOException e) {
                throw new UncheckedIOException("study " + study + ": the FHIR bundle of read " + readId + " cannot be written", e);
            }
        }
        PublishedReport report = fhir.publish(request);
        log.info("read {}: DiagnosticReport {} published", readId, report.reference());
        return report.reportId();
    }
}
