package org.groundflow.workflow.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** Groundflow's Flyway settings hold wherever nothing else sets them, in Groundflow or in a host application. */
class FlywayDefaultsTest {

    @Test
    void theDefaultsSitBelowEveryOtherSetting() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("host",
                Map.of("spring.flyway.table", "host_schema_history")));

        new FlywayDefaults().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("spring.flyway.table")).as("the host's own").isEqualTo("host_schema_history");
        assertThat(environment.getProperty("spring.flyway.locations")).isEqualTo("classpath:db/groundflow");
        assertThat(environment.getProperty("spring.flyway.baseline-on-migrate")).isEqualTo("true");
        assertThat(environment.getProperty("spring.flyway.baseline-version")).isEqualTo("0");
        assertThat(environment.getPropertySources().stream().reduce((first, last) -> last).orElseThrow().getName())
                .isEqualTo(FlywayDefaults.SOURCE);
    }
}
