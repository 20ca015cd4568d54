package org.groundflow.workflow.process;

import static org.groundflow.workflow.read.ReadVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.groundflow.workflow.read.ReviewEscalation;
import org.springframework.stereotype.Component;

/** Escalate review: the review is overdue. */
@Component("escalateReviewStep")
public class EscalateReviewStep implements JavaDelegate {

    private final ReviewEscalation escalation;

    public EscalateReviewStep(ReviewEscalation escalation) {
        this.escalation = escalation;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String readId = (String) execution.getVariable(READ_ID);
        execution.setVariable(ESCALATED, !escalation.escalate(execution.getProcessInstanceId(), readId).isEmpty());
    }
}
