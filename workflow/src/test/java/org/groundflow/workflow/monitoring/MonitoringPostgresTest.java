package org.groundflow.workflow.monitoring;

import org.flywaydb.core.Flyway;
import org.groundflow.workflow.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The AI monitoring on PostgreSQL (a throwaway cluster): the same SQL as on H2. Skipped where it is not installed. */
class MonitoringPostgresTest extends MonitoringContract {

    private static PostgresServer postgres;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void migratedDatabase() {
        Assumptions.assumeTrue(PostgresServer.isAvailable(), "PostgreSQL is not installed");
        postgres = new PostgresServer().start();
        DriverManagerDataSource dataSource = new DriverManagerDataSource(postgres.createDatabase("monitoring"),
                PostgresServer.USER, "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/groundflow").table("gf_schema_history")
                .load().migrate();
        jdbc = new JdbcTemplate(dataSource);
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    MonitoringPostgresTest() {
        super(jdbc);
    }
}
