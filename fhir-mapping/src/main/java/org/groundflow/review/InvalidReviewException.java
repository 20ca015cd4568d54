package org.groundflow.review;

/** A review that cannot be signed as sent: a decision missing, duplicated, unknown or incomplete. */
public class InvalidReviewException extends RuntimeException {

    public InvalidReviewException(String message) {
        super(message);
    }
}
