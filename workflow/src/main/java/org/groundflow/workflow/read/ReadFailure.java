package org.groundflow.workflow.read;

/**
 * A step of a read cannot go on with what it was given (a series without instances, a draft or sign-off missing). Its
 * message names the study and the problem; the engine shows it on the incident when the step's retries run out.
 */
public class ReadFailure extends RuntimeException {

    public ReadFailure(String message) {
        super(message);
    }

    public ReadFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
