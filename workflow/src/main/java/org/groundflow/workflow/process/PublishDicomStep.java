package org.groundflow.workflow.process;

import static org.groundflow.workflow.read.ReadVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.groundflow.dicomweb.Uid;
import org.groundflow.workflow.read.DicomPublication;
import org.springframework.stereotype.Component;

/** Publish DICOM: the kept findings as a DICOM-SEG and the signed report as its TID 1500 SR, in the PACS. */
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
        try {
            execution.setVariable(SEG_SOP_INSTANCE_UID, publication.publish(readId, study).value());
        } catch (RuntimeException e) {
            throw StepFailures.naming(study, e);
        }
    }
}
