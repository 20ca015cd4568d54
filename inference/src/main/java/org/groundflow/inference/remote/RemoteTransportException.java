package org.groundflow.inference.remote;

/** The model server could not be reached or did not answer in time (connection refused, timeout, reset). */
public class RemoteTransportException extends RemoteInterpretationException {

    public RemoteTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
