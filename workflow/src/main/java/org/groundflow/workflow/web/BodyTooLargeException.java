package org.groundflow.workflow.web;

import java.io.IOException;
import java.util.Optional;

/** A request body grew past the configured limit while it was read; answered with 413. */
public class BodyTooLargeException extends IOException {

    public BodyTooLargeException(String message) {
        super(message);
    }

    /** The limit's exception among {@code failure} and its causes, if any. */
    public static Optional<BodyTooLargeException> in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BodyTooLargeException tooLarge) {
                return Optional.of(tooLarge);
            }
        }
        return Optional.empty();
    }
}
