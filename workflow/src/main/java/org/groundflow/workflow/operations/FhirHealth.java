package org.groundflow.workflow.operations;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.groundflow.workflow.config.GroundflowProperties;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code fhir} in /actuator/health: the FHIR server answers {@code GET [base]/metadata}; without a server configured,
 * reports are written to files and the indicator says where.
 */
@Component("fhirHealthIndicator")
public class FhirHealth implements HealthIndicator {

    private final GroundflowProperties properties;
    private final HttpClient http;

    public FhirHealth(GroundflowProperties properties) {
        this.properties = properties;
        this.http = HttpClient.newBuilder().connectTimeout(properties.fhir().connectTimeout()).build();
    }

    @Override
    public Health health() {
        GroundflowProperties.Fhir fhir = properties.fhir();
        if (!fhir.configured()) {
            return Health.up().withDetail("mode", "bundles written to " + properties.workDir().resolve("fhir")).build();
        }
        String url = fhir.baseUrl().replaceAll("/+$", "") + "/metadata";
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(fhir.readTimeout())
                    .header("Accept", "application/fhir+json");
            if (fhir.token() != null && !fhir.token().isBlank()) {
                request.header("Authorization", "Bearer " + fhir.token());
            }
            int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            Health.Builder health = status / 100 == 2 ? Health.up() : Health.down();
            return health.withDetail("url", fhir.baseUrl()).withDetail("status", status).build();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Health.down().withDetail("url", fhir.baseUrl()).withDetail("error", String.valueOf(e.getMessage())).build();
        }
    }
}
