package org.groundflow.inference.remote;

import org.groundflow.inference.InferenceException;

/** A model server's answer breaks the contract (inference/remote/CONTRACT.md): the message names the rule. */
public class RemoteInterpretationException extends InferenceException {

    public RemoteInterpretationException(String message) {
        super(message);
    }

    public RemoteInterpretationException(String message, Throwable cause) {
        super(message, cause);
    }
}
