package org.groundflow.hostapp;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Stands for a hospital's own Camunda Spring Boot application, which adds Groundflow as one dependency. */
@SpringBootApplication
public class HostApplication {
}
