package org.groundflow.workflow.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The time range of an AI monitoring report, {@code from} inclusive, {@code to} exclusive, and the buckets its plots
 * are drawn in: hours for up to {@link #HOURLY_UP_TO}, days for up to {@link #DAILY_UP_TO}, weeks beyond.
 */
public record TimeRange(Instant from, Instant to) {

    /** The longest range a report covers: its cost grows with the rows in the range. */
    public static final Duration LONGEST = Duration.ofDays(400);
    /** The range of a report that names none: the last 30 days. */
    public static final Duration DEFAULT = Duration.ofDays(30);
    static final Duration HOURLY_UP_TO = Duration.ofDays(2);
    static final Duration DAILY_UP_TO = Duration.ofDays(120);

    public TimeRange {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to, got from=" + from + " and to=" + to);
        }
        if (Duration.between(from, to).compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("the range from " + from + " to " + to + " is longer than "
                    + LONGEST.toDays() + " days");
        }
    }

    /**
     * The range of request parameters: each an instant ({@code 2026-05-01T08:00:00Z}) or a date ({@code 2026-05-01},
     * UTC: in {@code from} the start of that day, in {@code to} its end); absent: {@code to} is {@code now} and
     * {@code from} {@link #DEFAULT} before {@code to}.
     *
     * @throws IllegalArgumentException naming the parameter and its bad value
     */
    public static TimeRange parse(String from, String to, Instant now) {
        Instant end = blank(to) ? now : instant("to", to, true);
        Instant start = blank(from) ? end.minus(DEFAULT) : instant("from", from, false);
        return new TimeRange(start, end);
    }

    /** The length of one bucket of the plots. */
    public Duration bucket() {
        Duration span = Duration.between(from, to);
        return span.compareTo(HOURLY_UP_TO) <= 0 ? Duration.ofHours(1)
                : span.compareTo(DAILY_UP_TO) <= 0 ? Duration.ofDays(1) : Duration.ofDays(7);
    }

    /** The start of each bucket, the first at or before {@code from} (a whole hour or a UTC midnight). */
    public List<Instant> bucketStarts() {
        Duration bucket = bucket();
        List<Instant> starts = new ArrayList<>();
        for (Instant start = firstBucketStart(); start.isBefore(to); start = start.plus(bucket)) {
            starts.add(start);
        }
        return starts;
    }

    /** The index in {@link #bucketStarts()} of the bucket holding {@code at}, an instant of this range. */
    int bucketOf(Instant at) {
        return (int) (Duration.between(firstBucketStart(), at).toMillis() / bucket().toMillis());
    }

    /** Whether {@code at} lies in this range. */
    public boolean contains(Instant at) {
        return !at.isBefore(from) && at.isBefore(to);
    }

    private Instant firstBucketStart() {
        return from.truncatedTo(bucket().toHours() == 1 ? ChronoUnit.HOURS : ChronoUnit.DAYS);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static Instant instant(String name, String value, boolean endOfDay) {
        String text = value.strip();
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                LocalDate day = LocalDate.parse(text);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                throw new IllegalArgumentException(name + " must be an instant such as 2026-05-01T08:00:00Z or a date"
                        + " such as 2026-05-01, got: " + value);
            }
        }
    }
}
