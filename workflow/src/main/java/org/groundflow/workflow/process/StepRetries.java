package org.groundflow.workflow.process;

import org.groundflow.workflow.config.GroundflowProperties;
import org.springframework.stereotype.Component;

/** The retry cycle every service step of the process model names as {@code ${stepRetries.cycle}}. */
@Component("stepRetries")
public class StepRetries {

    private final String cycle;

    public StepRetries(GroundflowProperties properties) {
        this.cycle = properties.retries();
    }

    public String getCycle() {
        return cycle;
    }
}
