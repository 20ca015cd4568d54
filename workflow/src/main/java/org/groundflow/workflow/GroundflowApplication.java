package org.groundflow.workflow;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The standalone Groundflow application: a Camunda 7 engine with Groundflow's steps, REST API and webapps. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GroundflowApplication {

    public static void main(String[] args) {
        SpringApplication.run(GroundflowApplication.class, args);
    }
}
