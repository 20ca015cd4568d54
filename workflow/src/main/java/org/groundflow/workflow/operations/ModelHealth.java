package org.groundflow.workflow.operations;

import org.groundflow.inference.GroundedInterpreter;
import org.groundflow.inference.ModelCard;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** {@code model} in /actuator/health: which model package is loaded (it is checked against its card at start). */
@Component("modelHealthIndicator")
public class ModelHealth implements HealthIndicator {

    private final GroundedInterpreter interpreter;

    public ModelHealth(GroundedInterpreter interpreter) {
        this.interpreter = interpreter;
    }

    @Override
    public Health health() {
        ModelCard card = interpreter.card();
        return Health.up().withDetail("name", card.name()).withDetail("version", card.version())
                .withDetail("uid", card.uid()).build();
    }
}
