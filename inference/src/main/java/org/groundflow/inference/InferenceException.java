package org.groundflow.inference;

/** Base of every failure the inference module reports; library exceptions never cross the module boundary. */
public class InferenceException extends RuntimeException {

    public InferenceException(String message) {
        super(message);
    }

    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
