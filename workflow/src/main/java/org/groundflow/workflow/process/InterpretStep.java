package org.groundflow.workflow.process;

import static org.groundflow.workflow.process.ReadVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.groundflow.dicomweb.Uid;
import org.groundflow.inference.Interpretation;
import org.groundflow.workflow.read.ReadInterpretation;
import org.springframework.stereotype.Component;

/** Interpret: the model writes grounded findings for the retrieved series. */
@Component("interpretStep")
public class InterpretStep implements JavaDelegate {

    private final ReadInterpretation interpretation;

    public InterpretStep(ReadInterpretation interpretation) {
        this.interpretation = interpretation;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String readId = (String) execution.getVariable(READ_ID);
        Uid study = Uid.of((String) execution.getVariable(STUDY_INSTANCE_UID));
        Interpretation draft = interpretation.interpret(readId, study);
        execution.setVariable(FINDING_COUNT, draft.findings().size());
    }
}
