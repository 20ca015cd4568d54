package org.groundflow.workflow.process;

import static org.groundflow.workflow.read.ReadVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.groundflow.dicomweb.Uid;
import org.groundflow.workflow.read.ReadRetraction;
import org.springframework.stereotype.Component;

/** Retract FHIR: the read's DiagnosticReport and its Observations become entered-in-error. */
@Component("retractFhirStep")
public class RetractFhirStep implements JavaDelegate {

    private final ReadRetraction retraction;

    public RetractFhirStep(ReadRetraction retraction) {
        this.retraction = retraction;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String readId = (String) execution.getVariable(READ_ID);
        Uid study = Uid.of((String) execution.getVariable(STUDY_INSTANCE_UID));
        execution.setVariable(DIAGNOSTIC_REPORT_ID, retraction.retractReport(readId, study));
    }
}
