package org.groundflow.review;

import java.util.Optional;

/**
 * What a person may write into a signed report: plain text of bounded length whose characters every place it is
 * published can carry as they are (XML 1.0 for the FHIR narrative, DICOM text in the SR, JSON). Tab, line feed and
 * carriage return are allowed; other control characters (C0, DEL, C1), unpaired surrogates and the non-characters
 * U+FFFE and U+FFFF are refused rather than dropped, so what is signed is exactly what was typed. Markup is just text:
 * every place that shows or publishes it escapes it.
 */
public final class PlainText {

    /** The longest edited finding text or impression, in characters. */
    public static final int MAX_SIGNED_TEXT = 10_000;

    private PlainText() {
    }

    /** Why {@code text} is not plain text of at most {@code maxLength} characters, or empty when it is. */
    public static Optional<String> problem(String text, int maxLength) {
        if (text.length() > maxLength) {
            return Optional.of("has " + text.length() + " characters, more than the limit of " + maxLength);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of("has an unpaired surrogate " + codePoint(c) + " at position " + i);
            } else if (refused(c)) {
                return Optional.of("has the control character " + codePoint(c) + " at position " + i
                        + "; only tab, line feed and carriage return may appear in signed text");
            }
        }
        return Optional.empty();
    }

    private static boolean refused(char c) {
        boolean control = c < 0x20 && c != '\t' && c != '\n' && c != '\r';
        return control || (c >= 0x7F && c <= 0x9F) || c == '\uFFFE' || c == '\uFFFF';
    }

    private static String codePoint(char c) {
        return String.format("U+%04X", (int) c);
    }
}
