package org.groundflow.workflow;

import org.groundflow.workflow.config.GroundflowProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * Groundflow as a plugin: a Camunda 7 Spring Boot application that adds the {@code groundflow-workflow} dependency
 * gets the step handlers of the grounded-read process, the REST API, the review UI and their configuration
 * ({@code groundflow.*}). The process models come with the {@code groundflow-bpmn} jar and are deployed by the
 * Camunda starter's auto-deployment.
 */
@AutoConfiguration(afterName = "org.camunda.bpm.spring.boot.starter.CamundaBpmAutoConfiguration")
@ConditionalOnProperty(name = "groundflow.mode", havingValue = "engine", matchIfMissing = true)
@EnableConfigurationProperties(GroundflowProperties.class)
@ComponentScan(basePackageClasses = GroundflowAutoConfiguration.class,
        excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX, pattern = {"org\\.groundflow\\.workflow\\.app\\..*", "org\\.groundflow\\.workflow\\.worker\\.WorkerAutoConfiguration"}))
public class GroundflowAutoConfiguration {
}
