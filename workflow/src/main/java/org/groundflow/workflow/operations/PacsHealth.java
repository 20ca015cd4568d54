package org.groundflow.workflow.operations;

import java.util.Map;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** {@code pacs} in /actuator/health: the PACS answers a one-study QIDO-RS search. */
@Component("pacsHealthIndicator")
public class PacsHealth implements HealthIndicator {

    private final DicomWebClient pacs;

    public PacsHealth(DicomWebClient pacs) {
        this.pacs = pacs;
    }

    @Override
    public Health health() {
        String url = pacs.endpoint().baseUri().toString();
        try {
            pacs.searchStudies(Map.of("limit", "1"));
            return Health.up().withDetail("url", url).build();
        } catch (RuntimeException e) {
            return Health.down().withDetail("url", url).withDetail("error", e.getMessage()).build();
        }
    }
}
