package org.groundflow.workflow.worker;

import static org.groundflow.workflow.read.ReadVariables.*;

import java.util.Map;
import org.groundflow.dicomweb.Uid;
import org.groundflow.inference.Interpretation;
import org.groundflow.workflow.read.ReadInterpretation;
import org.springframework.stereotype.Component;

/**
 * The work behind the {@code groundflow-interpret} topic, the same whichever worker fetched the task: read the
 * task's inputs, run the interpretation, answer the outputs.
 */
@Component
public class InterpretTopic {

    private final ReadInterpretation interpretation;

    public InterpretTopic(ReadInterpretation interpretation) {
        this.interpretation = interpretation;
    }

    /** @param inputs the task's variables readId and studyInstanceUid */
    public Map<String, Object> handle(Map<String, Object> inputs) {
        Object readId = inputs.get(READ_ID);
        Object study = inputs.get(STUDY_INSTANCE_UID);
        if (!(readId instanceof String id) || !(study instanceof String uid)) {
            throw new IllegalArgumentException("interpretation task needs readId and studyInstanceUid, got " + inputs.keySet());
        }
        Interpretation draft = interpretation.interpret(id, Uid.of(uid));
        return Map.of(FINDING_COUNT, draft.findings().size());
    }

    /** The incident message of a failure: the exception's message, never empty. */
    public static String failureMessage(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }
}
