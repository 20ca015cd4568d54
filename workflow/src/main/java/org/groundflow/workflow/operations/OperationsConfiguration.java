package org.groundflow.workflow.operations;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/** Meters that need the running engine. */
@Configuration(proxyBeanMethods = false)
public class OperationsConfiguration {

    private final StepMetrics steps;
    private final MeterRegistry meters;

    public OperationsConfiguration(StepMetrics steps, MeterRegistry meters) {
        this.steps = steps;
        this.meters = meters;
    }

    @EventListener(ApplicationStartedEvent.class)
    public void registerGauges() {
        steps.registerIncidentGauge(meters);
    }
}
