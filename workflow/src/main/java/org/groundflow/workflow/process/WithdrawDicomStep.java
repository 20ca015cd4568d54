package org.groundflow.workflow.process;

import static org.groundflow.workflow.read.ReadVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.groundflow.dicomweb.Uid;
import org.groundflow.workflow.read.ReadRetraction;
import org.springframework.stereotype.Component;

/** Withdraw DICOM: a rejection note (IHE IOCM) that withdraws the read's SEG and SR revisions, stored to the PACS. */
@Component("withdrawDicomStep")
public class WithdrawDicomStep implements JavaDelegate {

    private final ReadRetraction retraction;

    public WithdrawDicomStep(ReadRetraction retraction) {
        this.retraction = retraction;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String readId = (String) execution.getVariable(READ_ID);
        Uid study = Uid.of((String) execution.getVariable(STUDY_INSTANCE_UID));
        retraction.withdrawFromPacs(readId, study)
                .ifPresent(note -> execution.setVariable(REJECTION_NOTE_UID, note.value()));
    }
}
