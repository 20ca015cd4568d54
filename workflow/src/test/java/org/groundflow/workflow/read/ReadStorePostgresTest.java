package org.groundflow.workflow.read;

import org.flywaydb.core.Flyway;
import org.groundflow.workflow.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The read store on PostgreSQL (a throwaway cluster), its tables made by Groundflow's migrations: the same SQL, the
 * same keys deciding races as on H2. Skipped where PostgreSQL is not installed.
 */
class ReadStorePostgresTest extends ReadStoreContract {

    private static PostgresServer postgres;
    private static JdbcTemplate jdbc;
    private static DataSourceTransactionManager transactions;

    @BeforeAll
    static void migratedDatabase() {
        Assumptions.assumeTrue(PostgresServer.isAvailable(), "PostgreSQL is not installed");
        postgres = new PostgresServer().start();
        DriverManagerDataSource dataSource = new DriverManagerDataSource(postgres.createDatabase("reads"),
                PostgresServer.USER, "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/groundflow").table("gf_schema_history")
                .load().migrate();
        jdbc = new JdbcTemplate(dataSource);
        transactions = new DataSourceTransactionManager(dataSource);
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    ReadStorePostgresTest() {
        super(new ReadStore(jdbc, DraftFixtures.json()), jdbc, transactions);
    }
}
