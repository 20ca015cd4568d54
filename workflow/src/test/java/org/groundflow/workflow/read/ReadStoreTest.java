package org.groundflow.workflow.read;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The read store in a Spring context with the application's data source, transaction manager and Flyway settings, on
 * H2 (the default database) made by Groundflow's migrations alone, without the engine.
 */
@SpringBootTest(classes = ReadStoreTest.Store.class,
        properties = "spring.datasource.url=jdbc:h2:mem:groundflow-read-store;DB_CLOSE_DELAY=-1;MODE=LEGACY")
class ReadStoreTest extends ReadStoreContract {

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
            JdbcTemplateAutoConfiguration.class, FlywayAutoConfiguration.class})
    static class Store {
        @Bean
        ReadStore readStore(JdbcTemplate jdbc) {
            return new ReadStore(jdbc, DraftFixtures.json());
        }
    }

    @Autowired
    ReadStoreTest(ReadStore store, JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        super(store, jdbc, transactions);
    }
}
