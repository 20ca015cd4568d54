package org.groundflow.workflow.process;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.groundflow.workflow.config.GroundflowProperties;
import org.springframework.stereotype.Component;

/**
 * The retry policy of Groundflow's steps. By default it rides out an outage of the PACS or the FHIR server of up to
 * {@code groundflow.outage-tolerance} (15 min): pauses that double from {@link #FIRST_PAUSE} up to {@link #LONGEST_PAUSE}
 * until they add up to the tolerance, so a step that fails only because a server is down runs again when it is back
 * and no incident is raised. {@code groundflow.retries} replaces that cycle: an ISO 8601 repeating interval such as
 * {@code R3/PT30S} (a step runs at most 3 times, 30 s apart) or a comma-separated list of pauses such as
 * {@code PT5S,PT10S,PT20S} (one retry per pause), both read by the engine as a job's retry cycle. It is the one
 * layer that retries; every transport below it sends each call once:
 * <table>
 * <caption>Who retries what</caption>
 * <tr><th>Layer</th><th>Retries</th></tr>
 * <tr><td>process engine: this cycle, as {@code ${stepRetries.cycle}} on every asynchronous service step, and through
 *     {@link #retriesLeft} and {@link #pauseAfter} for the interpretation task's workers</td>
 *     <td>every failure of a step that is not permanent (refused connections, timeouts, 5xx, 408/409/429, broken
 *     answers), after the cycle's pause with some jitter ({@link StepFailures}); an incident when none are left</td></tr>
 * <tr><td>{@link StepFailures}</td><td>nothing: a permanent failure (a PACS or FHIR 4xx other than 408, 409 and 429,
 *     a FHIR refusal or rejection) becomes an incident at once</td></tr>
 * <tr><td>DICOMweb client, FHIR publisher, model server client</td><td>only a refused connection (nothing was sent),
 *     once; the DICOMweb and FHIR clients also repeat a call once with a new token when the token is refused (401).
 *     Never an error status, a timeout or a read failure</td></tr>
 * </table>
 * So a PACS that answers 503 forever costs the cycle's number of calls, not a product of two retry counts.
 */
@Component("stepRetries")
public class StepRetries {

    /** The first pause of the cycle made from the outage tolerance. */
    public static final Duration FIRST_PAUSE = Duration.ofSeconds(10);
    /** The longest pause of the cycle made from the outage tolerance. */
    public static final Duration LONGEST_PAUSE = Duration.ofMinutes(2);

    private static final Pattern REPEAT = Pattern.compile("R(\\d+)/(P.+)");

    private final String cycle;
    /** The pause before each retry, in order; as many as there are retries. */
    private final List<Duration> pauses;

    public StepRetries(GroundflowProperties properties) {
        String text = properties.retries();
        if (text == null || text.isBlank()) {
            this.pauses = backoff(properties.outageTolerance());
        } else {
            this.pauses = parse(text.trim());
        }
        this.cycle = text == null || text.isBlank()
                ? pauses.stream().map(Duration::toString).collect(Collectors.joining(","))
                : text.trim();
    }

    /** The cycle as the process model names it: {@code camunda:failedJobRetryTimeCycle="${stepRetries.cycle}"}. */
    public String getCycle() {
        return cycle;
    }

    /** The pauses before the retries, in order. */
    public List<Duration> pauses() {
        return pauses;
    }

    /**
     * The pause before an external task that failed is offered again, once it has {@code left} retries (as
     * {@link #retriesLeft} counted them): the cycle's pauses in order.
     */
    public Duration pauseAfter(int left) {
        int index = Math.max(0, Math.min(pauses.size() - 1, pauses.size() - left));
        return pauses.isEmpty() ? Duration.ZERO : pauses.get(index);
    }

    /**
     * The retries an external task keeps after {@code failure}, counted as the engine counts a job's: as many as the
     * cycle has pauses after the first failure ({@code current} is null before it), one less after each later one;
     * none for a permanent failure.
     */
    public int retriesLeft(Integer current, Throwable failure) {
        if (StepFailures.isPermanent(failure)) {
            return 0;
        }
        return current == null ? pauses.size() : Math.max(0, current - 1);
    }

    /** Pauses doubling from {@link #FIRST_PAUSE} up to {@link #LONGEST_PAUSE} until they add up to the tolerance. */
    static List<Duration> backoff(Duration tolerance) {
        if (tolerance == null || tolerance.isNegative() || tolerance.isZero()) {
            throw new IllegalArgumentException("groundflow.outage-tolerance must be positive, got: " + tolerance);
        }
        List<Duration> pauses = new ArrayList<>();
        Duration pause = FIRST_PAUSE;
        Duration sum = Duration.ZERO;
        while (sum.compareTo(tolerance) < 0) {
            pauses.add(pause);
            sum = sum.plus(pause);
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
        return Collections.unmodifiableList(pauses);
    }

    private static List<Duration> parse(String text) {
        Matcher repeat = REPEAT.matcher(text);
        try {
            if (repeat.matches()) {
                int runs = Integer.parseInt(repeat.group(1));
                return Collections.nCopies(Math.max(0, runs - 1), Duration.parse(repeat.group(2)));
            }
            List<Duration> pauses = new ArrayList<>();
            for (String pause : text.split(",")) {
                pauses.add(Duration.parse(pause.trim()));
            }
            return Collections.unmodifiableList(pauses);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("groundflow.retries must look like R3/PT30S or PT5S,PT10S,PT20S, got: "
                    + text);
        }
    }
}
