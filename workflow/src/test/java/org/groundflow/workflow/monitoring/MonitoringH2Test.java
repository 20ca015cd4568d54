package org.groundflow.workflow.monitoring;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The AI monitoring on H2, the default database, made by Groundflow's migrations alone. */
class MonitoringH2Test extends MonitoringContract {

    private static final JdbcTemplate JDBC = migrated();

    MonitoringH2Test() {
        super(JDBC);
    }

    private static JdbcTemplate migrated() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                "jdbc:h2:mem:groundflow-monitoring;DB_CLOSE_DELAY=-1;MODE=LEGACY", "sa", "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/groundflow").table("gf_schema_history")
                .load().migrate();
        return new JdbcTemplate(dataSource);
    }
}
