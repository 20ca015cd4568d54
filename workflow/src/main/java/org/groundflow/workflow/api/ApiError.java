package org.groundflow.workflow.api;

/** The JSON body of every error answer: a short code and a message for people. */
public record ApiError(int status, String error, String message) {
}
