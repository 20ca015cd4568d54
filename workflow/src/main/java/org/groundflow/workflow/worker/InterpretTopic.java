package org.groundflow.workflow.worker;

import static org.groundflow.workflow.read.ReadVariables.*;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.groundflow.dicomweb.Uid;
import org.groundflow.workflow.read.Draft;
import org.groundflow.workflow.read.ReadInterpretation;
import org.groundflow.workflow.read.ReadSeries;
import org.springframework.stereotype.Component;

/**
 * The work behind the {@code groundflow-interpret} topic, the same whichever worker fetched the task: read the
 * task's inputs, run the interpretation, answer the draft, which the worker hands to the engine with the completion.
 */
@Component
public class InterpretTopic {

    /** The variables a worker fetches with the task. */
    static final String[] INPUTS = {READ_ID, STUDY_INSTANCE_UID, SERIES_INSTANCE_UID};

    private final ReadInterpretation interpretation;

    public InterpretTopic(ReadInterpretation interpretation) {
        this.interpretation = interpretation;
    }

    /** @param inputs the task's variables readId, studyInstanceUid and seriesInstanceUid */
    public Draft handle(Map<String, Object> inputs) {
        if (!(inputs.get(READ_ID) instanceof String readId) || !(inputs.get(STUDY_INSTANCE_UID) instanceof String study)
                || !(inputs.get(SERIES_INSTANCE_UID) instanceof String series)) {
            throw new IllegalArgumentException("interpretation task needs readId, studyInstanceUid and seriesInstanceUid,"
                    + " got " + inputs.keySet());
        }
        return interpretation.interpret(new ReadSeries(readId, Uid.of(study), Uid.of(series)));
    }

    /** Timer of the wait of an interpretation task from its creation until a worker locked it. */
    public static final String PICKUP = "groundflow.worker.pickup";

    /** Records in {@value #PICKUP} how long a task created at {@code created} waited for a worker. */
    static void recordPickup(MeterRegistry meters, Date created) {
        if (meters != null && created != null) {
            Timer.builder(PICKUP).description("wait of an interpretation task from its creation until a worker took it")
                    .register(meters).record(Math.max(0, System.currentTimeMillis() - created.getTime()),
                            TimeUnit.MILLISECONDS);
        }
    }

    /** The incident message of a failure: the exception's message, never empty. */
    public static String failureMessage(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }
}
