package org.groundflow.review;

/** The decision on finding {@code finding}; {@code text} is the new sentence when the decision is EDIT. */
public record FindingDecision(int finding, Decision decision, String text) {
}
