package org.groundflow.workflow.process;

import static org.groundflow.workflow.read.ReadVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.groundflow.dicomweb.Uid;
import java.util.Optional;
import org.groundflow.workflow.read.ReportPublication;
import org.springframework.stereotype.Component;

/**
 * Publish FHIR: the signed read as a DiagnosticReport transaction to the EHR (final, or amended for an amendment), if
 * the sign-off this process made is still the read's newest; otherwise nothing, and {@code superseded}.
 */
@Component("publishFhirStep")
public class PublishFhirStep implements JavaDelegate {

    private final ReportPublication publication;

    public PublishFhirStep(ReportPublication publication) {
        this.publication = publication;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String readId = (String) execution.getVariable(READ_ID);
        Uid study = Uid.of((String) execution.getVariable(STUDY_INSTANCE_UID));
        String seg = (String) execution.getVariable(SEG_SOP_INSTANCE_UID);
        Optional<String> report;
        try {
            report = publication.publishIfNewest(readId, study, seg == null ? null : Uid.of(seg),
                    PublishDicomStep.signedAt(execution));
        } catch (RuntimeException e) {
            throw StepFailures.naming(study, e);
        }
        report.ifPresentOrElse(id -> execution.setVariable(DIAGNOSTIC_REPORT_ID, id),
                () -> execution.setVariable(SUPERSEDED, true));
    }
}
