package org.groundflow.workflow.process;

import static org.groundflow.workflow.read.ReadVariables.*;

import java.time.Instant;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.groundflow.workflow.read.Draft;
import org.groundflow.workflow.read.ReadFailure;
import org.groundflow.workflow.read.ReadStore;
import org.springframework.stereotype.Component;

/**
 * The end of Interpret: the draft that the worker handed over with the task's completion (transient variables, see
 * {@link DraftVariables}) is kept in the read store, in the transaction that completes the task. A completion without
 * a draft fails, so the worker's task goes back to it with one retry less.
 */
@Component("draftArrival")
public class DraftArrival implements ExecutionListener {

    private final DraftVariables variables;
    private final ReadStore store;

    public DraftArrival(DraftVariables variables, ReadStore store) {
        this.variables = variables;
        this.store = store;
    }

    @Override
    public void notify(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        String readId = (String) execution.getVariable(READ_ID);
        Draft draft = variables.from(execution).orElseThrow(() -> new ReadFailure("study "
                + execution.getVariable(STUDY_INSTANCE_UID) + ": the interpretation task of read " + readId
                + " was completed without a draft (" + DRAFT_INTERPRETATION + ", " + DRAFT_MASKS + ", " + DRAFT_VOLUME + ")"));
        store.saveDraft(readId, draft, Instant.now());
    }
}
