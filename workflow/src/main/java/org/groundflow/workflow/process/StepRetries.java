package org.groundflow.workflow.process;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.groundflow.workflow.config.GroundflowProperties;
import org.springframework.stereotype.Component;

/**
 * The retry policy of Groundflow's steps, {@code groundflow.retries} (an ISO 8601 repeating interval such as
 * {@code R3/PT30S}: a step runs at most 3 times, 30 s apart, as the engine counts a job's retries). It is the one
 * layer that retries; every transport below it sends each call once:
 * <table>
 * <caption>Who retries what</caption>
 * <tr><th>Layer</th><th>Retries</th></tr>
 * <tr><td>process engine: this cycle, as {@code ${stepRetries.cycle}} on every asynchronous service step, and through
 *     {@link #retriesLeft} for the interpretation task's workers</td>
 *     <td>every failure of a step (5xx, 408/429, timeouts, broken answers, refused connections that stay refused),
 *     after the interval; an incident when none are left</td></tr>
 * <tr><td>{@link StepFailures}</td><td>nothing: a permanent failure (PACS 401/403, a FHIR refusal or rejection)
 *     becomes an incident at once</td></tr>
 * <tr><td>DICOMweb client, FHIR publisher, model server client</td><td>only a refused connection (nothing was sent),
 *     once; the DICOMweb and FHIR clients also repeat a call once with a new token when the token is refused (401).
 *     Never an error status, a timeout or a read failure</td></tr>
 * </table>
 * So a PACS that answers 503 forever costs the cycle's number of calls (3 for {@code R3}), not a product of two
 * retry counts.
 */
@Component("stepRetries")
public class StepRetries {

    private static final Pattern FORM = Pattern.compile("R(\\d+)/(P.+)");

    private final String cycle;
    private final int retries;
    private final Duration interval;

    public StepRetries(GroundflowProperties properties) {
        String text = properties.retries();
        Matcher m = text == null ? null : FORM.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("groundflow.retries must look like R3/PT30S, got: " + text);
        }
        this.cycle = text.trim();
        this.retries = Integer.parseInt(m.group(1));
        this.interval = Duration.parse(m.group(2));
    }

    /** The cycle as the process model names it: {@code camunda:failedJobRetryTimeCycle="${stepRetries.cycle}"}. */
    public String getCycle() {
        return cycle;
    }

    /** The pause before an external task that failed is offered again. */
    public Duration interval() {
        return interval;
    }

    /**
     * The retries an external task keeps after {@code failure}, counted as the engine counts a job's: the cycle's
     * count is the number of runs in all ({@code R3}: 3), so one less after each failure, starting from the cycle's
     * count ({@code current} is null before the first failure); none for a permanent failure.
     */
    public int retriesLeft(Integer current, Throwable failure) {
        if (StepFailures.isPermanent(failure)) {
            return 0;
        }
        return Math.max(0, (current == null ? retries : current) - 1);
    }
}
