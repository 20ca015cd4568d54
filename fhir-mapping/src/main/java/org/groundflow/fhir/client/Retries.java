package org.groundflow.fhir.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How often one publication is tried when the server fails (5xx, 408, 429, 409) or does not answer, and how long to
 * wait between tries: {@code initialBackoff} doubling up to {@code maxBackoff}, each wait shortened by up to a fifth
 * at random so that many clients don't try again in step. A server's {@code Retry-After} is honoured when it is no
 * longer than {@code maxBackoff}; a longer one ends the tries at once (the caller decides when to come back).
 * Refusals (401, 403, other 4xx) and malformed answers are never tried again.
 *
 * @param maxAttempts    tries in all, at least 1 (1: no retry)
 * @param initialBackoff wait before the second try
 * @param maxBackoff     longest wait between two tries
 */
public record Retries(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public Retries {
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("maxAttempts must be 1..10, got " + maxAttempts);
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoffs must satisfy 0 <= initialBackoff <= maxBackoff, got "
                    + initialBackoff + " and " + maxBackoff);
        }
    }

    /** One try: failures go straight to the caller (e.g. a process engine with its own retry cycle). */
    public static Retries none() {
        return new Retries(1, Duration.ZERO, Duration.ZERO);
    }

    /** Up to {@code maxAttempts} tries, waiting {@code initialBackoff}, then twice as long each time up to {@code maxBackoff}. */
    public static Retries of(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        return new Retries(maxAttempts, initialBackoff, maxBackoff);
    }

    /** The nominal wait after failed try {@code attempt} (1-based), before jitter. */
    Duration backoff(int attempt) {
        long millis = initialBackoff.toMillis();
        for (int i = 1; i < attempt && millis < maxBackoff.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
