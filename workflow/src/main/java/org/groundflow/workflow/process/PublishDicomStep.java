package org.groundflow.workflow.process;

import static org.groundflow.workflow.read.ReadVariables.*;

import java.time.Instant;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.groundflow.dicomweb.Uid;
import org.groundflow.workflow.read.DicomPublication;
import org.springframework.stereotype.Component;

/**
 * Publish DICOM: the kept findings as a DICOM-SEG and the signed report as its TID 1500 SR, in the PACS, if the
 * sign-off this process made ({@code signedAt}) is still the read's newest; otherwise nothing, and {@code superseded}.
 */
@Component("publishDicomStep")
public class PublishDicomStep implements JavaDelegate {

    private final DicomPublication publication;

    public PublishDicomStep(DicomPublication publication) {
        this.publication = publication;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String readId = (String) execution.getVariable(READ_ID);
        Uid study = Uid.of((String) execution.getVariable(STUDY_INSTANCE_UID));
        Optional<Uid> seg;
        try {
            seg = publication.publishIfNewest(readId, study, signedAt(execution));
        } catch (RuntimeException e) {
            throw StepFailures.naming(study, e);
        }
        seg.ifPresentOrElse(uid -> execution.setVariable(SEG_SOP_INSTANCE_UID, uid.value()),
                () -> execution.setVariable(SUPERSEDED, true));
    }

    /** When the sign-off this process made was signed; null for a process that did not record it. */
    static Instant signedAt(DelegateExecution execution) {
        Object signedAt = execution.getVariable(SIGNED_AT);
        return signedAt == null ? null : Instant.parse(signedAt.toString());
    }
}
