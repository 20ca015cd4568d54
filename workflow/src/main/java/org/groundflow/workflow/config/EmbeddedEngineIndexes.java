package org.groundflow.workflow.config;

import java.util.List;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Two indexes on the engine's runtime tables in the embedded H2 database, made once the engine has created its
 * schema, so that the engine's lookups per read stay lookups however many reads are running. H2 plans a statement
 * when a connection first runs it and keeps the plan: for a process's variables ({@code EXECUTION_ID_ = ? AND
 * TASK_ID_ IS NULL}, with or without {@code NAME_ IN (...)}, several times per read) a plan made while the table was
 * small takes Camunda's index on {@code TASK_ID_}, in which every process variable is {@code NULL}, and so reads the
 * variables of every running read; an index on both columns is its choice at every table size (a wider one is not).
 * A task's subtasks ({@code PARENT_TASK_ID_ = ?}, at each completion) have no index at all. PostgreSQL plans from
 * statistics and uses Camunda's index on {@code EXECUTION_ID_}; its schema is left as Camunda made it.
 */
@Component
public class EmbeddedEngineIndexes extends AbstractProcessEnginePlugin {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedEngineIndexes.class);

    /** Index name and the table and columns it covers (table without the engine's table prefix). */
    static final List<String[]> INDEXES = List.of(
            new String[] {"GF_IDX_VAR_EXEC_TASK", "ACT_RU_VARIABLE", "EXECUTION_ID_, TASK_ID_"},
            new String[] {"GF_IDX_TASK_PARENT", "ACT_RU_TASK", "PARENT_TASK_ID_"});

    @Override
    public void postProcessEngineBuild(ProcessEngine engine) {
        ProcessEngineConfigurationImpl configuration =
                (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
        if (!"h2".equals(configuration.getDatabaseType())) {
            return;
        }
        JdbcTemplate jdbc = new JdbcTemplate(configuration.getDataSource());
        String prefix = configuration.getDatabaseTablePrefix() == null ? "" : configuration.getDatabaseTablePrefix();
        for (String[] index : INDEXES) {
            jdbc.execute("CREATE INDEX IF NOT EXISTS " + index[0] + " ON " + prefix + index[1] + " (" + index[2] + ")");
        }
        log.debug("engine indexes {} present", INDEXES.stream().map(index -> index[0]).toList());
    }
}
