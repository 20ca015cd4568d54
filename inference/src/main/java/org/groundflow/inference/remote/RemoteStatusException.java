package org.groundflow.inference.remote;

/** The model server answered with an HTTP error status and, per the contract, an error code and message. */
public class RemoteStatusException extends RemoteInterpretationException {

    private final int status;
    private final String code;

    public RemoteStatusException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    /** The HTTP status, e.g. 422 or 503. */
    public int status() {
        return status;
    }

    /** The contract's error code, e.g. "unsupported-source", or "unknown" when the body had none. */
    public String code() {
        return code;
    }
}
