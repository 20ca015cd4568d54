package org.groundflow.inference;

/** Running a loaded model failed (engine or native error). */
public class ModelRunException extends InferenceException {

    public ModelRunException(String message, Throwable cause) {
        super(message, cause);
    }
}
