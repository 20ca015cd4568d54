package org.groundflow.workflow.process;

import static org.groundflow.workflow.read.ReadVariables.READ_ID;

import java.time.Instant;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.groundflow.workflow.read.ReadStore;
import org.springframework.stereotype.Component;

/**
 * The end of a read, published, with nothing to read, or cancelled: its study is free for the next read and its end
 * time starts the retention period, in the transaction that ends the process.
 */
@Component("readEnd")
public class ReadEnd implements ExecutionListener {

    private final ReadStore store;

    public ReadEnd(ReadStore store) {
        this.store = store;
    }

    @Override
    public void notify(DelegateExecution execution) {
        store.ended((String) execution.getVariable(READ_ID),
                execution.isCanceled() ? ReadStore.CANCELLED : ReadStore.COMPLETED, Instant.now());
    }
}
