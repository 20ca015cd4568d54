package org.groundflow.workflow.config;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Groundflow's Flyway settings, as defaults below every other property source, so that they hold in Groundflow's own
 * application and in a host application that adds Groundflow as a plugin (whose {@code spring.flyway.*} settings,
 * if any, win). Groundflow's migrations ({@value #LOCATION}) own every Groundflow table and keep their own history
 * table ({@value #HISTORY_TABLE}); Camunda keeps managing its own schema. The engine's database already holds
 * Camunda's tables, and in installations of earlier releases Groundflow's first tables, so Flyway takes a schema
 * without its history table over at version 0 and then runs every migration (the first ones create only what is
 * missing).
 */
public class FlywayDefaults implements EnvironmentPostProcessor {

    static final String SOURCE = "groundflowFlywayDefaults";
    static final String LOCATION = "classpath:db/groundflow";
    static final String HISTORY_TABLE = "gf_schema_history";

    static final Map<String, Object> DEFAULTS = Map.of(
            "spring.flyway.locations", LOCATION,
            "spring.flyway.table", HISTORY_TABLE,
            "spring.flyway.baseline-on-migrate", "true",
            "spring.flyway.baseline-version", "0");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, DEFAULTS));
    }
}
