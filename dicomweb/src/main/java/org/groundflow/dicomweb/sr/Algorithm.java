package org.groundflow.dicomweb.sr;

import java.util.Objects;

import org.groundflow.dicomweb.Uid;

/**
 * The AI that made the findings, as its model card names it: the device observer of the report (TID 1004), the
 * algorithm of each measurement group (TID 4019) and the report's Contributing Equipment (IHE AI Results).
 */
public record Algorithm(String name, String version, String manufacturer, Uid deviceUid) {

    public Algorithm {
        requireText("algorithm name", name);
        requireText("algorithm version", version);
        requireText("algorithm manufacturer", manufacturer);
        Objects.requireNonNull(deviceUid, "deviceUid");
    }

    private static void requireText(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        if (value.length() > 64 || value.contains("\\")) {
            throw new IllegalArgumentException(name + " must be at most 64 characters without '\\', got: " + value);
        }
    }
}
