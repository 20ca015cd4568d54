package org.groundflow.workflow.read;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The revision ledger in a Spring context with the application's data source, transaction manager and Flyway
 * settings, on H2 (the default database) made by Groundflow's migrations alone, without the engine.
 */
@SpringBootTest(classes = RevisionLedgerTest.Ledger.class,
        properties = "spring.datasource.url=jdbc:h2:mem:groundflow-revisions;DB_CLOSE_DELAY=-1;MODE=LEGACY")
class RevisionLedgerTest extends RevisionLedgerContract {

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
            JdbcTemplateAutoConfiguration.class, FlywayAutoConfiguration.class})
    @Import(RevisionLedger.class)
    static class Ledger {
    }

    @Autowired
    RevisionLedgerTest(RevisionLedger ledger, JdbcTemplate jdbc) {
        super(ledger, jdbc);
    }
}
