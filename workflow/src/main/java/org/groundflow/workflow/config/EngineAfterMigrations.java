package org.groundflow.workflow.config;

import java.util.Set;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDependsOnDatabaseInitializationDetector;

/**
 * Camunda's process engine is configured, and so built and its job executor started, only after the database
 * initializers (Groundflow's Flyway migrations) have run: the steps the job executor runs use Groundflow's tables.
 * Beans that use a {@code JdbcTemplate} wait for the migrations already (Spring Boot orders those).
 */
public class EngineAfterMigrations extends AbstractBeansOfTypeDependsOnDatabaseInitializationDetector {

    @Override
    protected Set<Class<?>> getDependsOnDatabaseInitializationBeanTypes() {
        return Set.of(ProcessEngineConfiguration.class);
    }
}
