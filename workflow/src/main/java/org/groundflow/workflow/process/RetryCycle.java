package org.groundflow.workflow.process;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A retry cycle in the ISO 8601 repeating-interval form the engine uses ({@code R3/PT30S}): attempts and pause. */
public record RetryCycle(int retries, Duration interval) {

    private static final Pattern FORM = Pattern.compile("R(\\d+)/(P.+)");

    public static RetryCycle parse(String cycle) {
        Matcher m = cycle == null ? null : FORM.matcher(cycle.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("retry cycle must look like R3/PT30S, got: " + cycle);
        }
        return new RetryCycle(Integer.parseInt(m.group(1)), Duration.parse(m.group(2)));
    }
}
