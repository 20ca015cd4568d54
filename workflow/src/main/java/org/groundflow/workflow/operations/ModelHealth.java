package org.groundflow.workflow.operations;

import org.groundflow.inference.Interpreter;
import org.groundflow.inference.ModelCard;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** {@code model} in /actuator/health: which model package is loaded (it is checked against its card at start). */
@Component("modelHealthIndicator")
public class ModelHealth implements HealthIndicator {

    private final Interpreter interpreter;

    public ModelHealth(Interpreter interpreter) {
        this.interpreter = interpreter;
    }

    @Override
    public Health health() {
        ModelCard card = interpreter.card();
        return Health.up().withDetail("name", card.name()).withDetail("version", card.version())
                .withDetail("uid", card.uid()).build();
    }
}
