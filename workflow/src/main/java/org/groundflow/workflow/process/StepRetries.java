package org.groundflow.workflow.process;

import org.groundflow.workflow.config.GroundflowProperties;
import org.springframework.stereotype.Component;

/** The retry cycle every service step of the process model names as {@code ${stepRetries.cycle}} (groundflow.retries). */
@Component("stepRetries")
public class StepRetries {

    private final String cycle;
    private final RetryCycle parsed;

    public StepRetries(GroundflowProperties properties) {
        this.cycle = properties.retries();
        this.parsed = RetryCycle.parse(cycle);
    }

    public String getCycle() {
        return cycle;
    }

    /** The same cycle for external tasks, whose workers set retries and pauses themselves. */
    public RetryCycle cycle() {
        return parsed;
    }
}
