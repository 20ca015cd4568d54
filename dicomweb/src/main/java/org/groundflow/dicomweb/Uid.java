package org.groundflow.dicomweb;

import java.util.regex.Pattern;

/**
 * A DICOM unique identifier (PS3.5 §9): 1 to 64 characters, numeric components separated by dots,
 * no component with a leading zero.
 */
public record Uid(String value) {

    private static final Pattern SYNTAX = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");

    public Uid {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("UID must not be empty");
        }
        if (value.length() > 64) {
            throw new IllegalArgumentException("UID must be at most 64 characters, got " + value.length() + ": " + value);
        }
        if (!SYNTAX.matcher(value).matches()) {
            throw new IllegalArgumentException("UID must be dot-separated numbers without leading zeros, got: " + value);
        }
    }

    public static Uid of(String value) {
        return new Uid(value == null ? null : value.trim());
    }

    @Override
    public String toString() {
        return value;
    }
}
