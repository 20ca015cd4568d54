package org.groundflow.inference;

/** Stored segment masks cannot be read: not a mask file, an unknown version, or damaged. */
public class MaskFormatException extends InferenceException {

    public MaskFormatException(String message) {
        super(message);
    }

    public MaskFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
