package org.groundflow.workflow.process;

import static org.groundflow.workflow.read.ReadVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.groundflow.dicomweb.Uid;
import org.groundflow.workflow.read.ReadRetraction;
import org.springframework.stereotype.Component;

/**
 * Withdraw amended SEG and SR: after an amendment that kept no finding (and so publishes no SEG or SR of its own), the
 * IHE IOCM rejection note that withdraws the SEG and SR of the read's earlier revisions, stored to the PACS, if the
 * amendment ({@code signedAt}) is still the read's newest sign-off.
 */
@Component("withdrawAmendedDicomStep")
public class WithdrawAmendedDicomStep implements JavaDelegate {

    private final ReadRetraction retraction;

    public WithdrawAmendedDicomStep(ReadRetraction retraction) {
        this.retraction = retraction;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String readId = (String) execution.getVariable(READ_ID);
        Uid study = Uid.of((String) execution.getVariable(STUDY_INSTANCE_UID));
        try {
            retraction.withdrawAmendedFromPacs(readId, study, PublishDicomStep.signedAt(execution))
                    .ifPresent(note -> execution.setVariable(REJECTION_NOTE_UID, note.value()));
        } catch (RuntimeException e) {
            throw StepFailures.naming(study, e);
        }
    }
}
