package org.groundflow.workflow.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The standalone Groundflow application: a Camunda 7 engine with Groundflow's steps, REST API and review UI.
 * Everything of Groundflow's comes in through {@code GroundflowAutoConfiguration}, exactly as in any other Camunda
 * Spring Boot application that adds the {@code groundflow-workflow} dependency.
 */
@SpringBootApplication
public class GroundflowApplication {

    public static void main(String[] args) {
        SpringApplication.run(GroundflowApplication.class, args);
    }
}
