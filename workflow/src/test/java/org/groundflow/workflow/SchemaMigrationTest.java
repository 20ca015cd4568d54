package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** Groundflow's tables come from its Flyway migrations, applied before Camunda's engine is built. */
class SchemaMigrationTest extends ApplicationTest {

    @Autowired
    Flyway flyway;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ConfigurableApplicationContext context;

    @Test
    void everyMigrationIsAppliedWithItsOwnHistoryTable() {
        assertThat(flyway.getConfiguration().getTable()).isEqualTo("gf_schema_history");
        assertThat(Arrays.stream(flyway.getConfiguration().getLocations()).map(Object::toString))
                .containsExactly("classpath:db/groundflow");
        assertThat(flyway.info().applied()).filteredOn(m -> m.getVersion() != null && !"0".equals(m.getVersion().getVersion()))
                .extracting(MigrationInfo::getScript)
                .containsExactly("V1__study_intake.sql", "V2__signoff_audit.sql", "V3__revision.sql", "V4__read_state.sql",
                        "V9__signoff_audit_chain.sql", "V10__signoff_audit_revisions.sql", "V11__read_revisions.sql",
                        "V12__ai_monitoring.sql");
        assertThat(flyway.info().applied()).allSatisfy(m -> assertThat(m.getState()).isIn(MigrationState.SUCCESS,
                MigrationState.BASELINE));
        for (String table : new String[] {"GF_STUDY_INTAKE", "GF_SIGNOFF_AUDIT", "GF_REVISION", "GF_READ", "GF_ACTIVE_STUDY",
                "GF_DRAFT", "GF_SIGNOFF", "GF_AUDIT_HEAD", "GF_AI_SIGNOFF", "GF_AI_FINDING", "GF_READ_INPUT",
                "GF_SIGNOFF_HISTORY", "GF_RETRACTION"}) {
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Integer.class)).as(table).isNotNegative();
        }
    }

    @Test
    void theEngineIsConfiguredAfterTheMigrations() {
        String[] engineConfigurations = context.getBeanFactory().getBeanNamesForType(ProcessEngineConfiguration.class,
                true, false);
        assertThat(engineConfigurations).isNotEmpty();
        for (String name : engineConfigurations) {
            assertThat(context.getBeanFactory().getBeanDefinition(name).getDependsOn()).as(name)
                    .contains("flywayInitializer");
        }
    }
}
