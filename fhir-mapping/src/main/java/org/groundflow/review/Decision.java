package org.groundflow.review;

import java.util.Locale;

/** What a radiologist decided about one draft finding. */
public enum Decision {
    ACCEPT, REJECT, EDIT;

    public static Decision parse(String text) {
        if (text == null) {
            throw new InvalidReviewException("decision is missing (expected accept, reject or edit)");
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidReviewException("decision must be accept, reject or edit, got '" + text + "'");
        }
    }
}
