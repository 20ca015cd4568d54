package org.groundflow.workflow.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.groundflow.workflow.ApplicationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * On the embedded H2 database, the engine's lookups that run several times per read find their rows through an index
 * of their own, not by reading the rows of every running read: H2's plans of the engine's own statements name the
 * indexes that {@link EmbeddedEngineIndexes} adds.
 */
class EmbeddedEngineIndexesTest extends ApplicationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aProcessesVariablesAreLookedUpByItsExecution() {
        // the statement of Camunda's VariableInstanceManager.findVariableInstancesByExecutionIdAndVariableNames,
        // planned here while the table holds the variables of a few reads at most
        String query = "SELECT RES.* FROM ACT_RU_VARIABLE RES LEFT JOIN ACT_RU_EXECUTION EXECUTION"
                + " ON RES.EXECUTION_ID_ = EXECUTION.ID_ LEFT JOIN ACT_RU_EXECUTION PARENT_EXECUTION"
                + " ON EXECUTION.PARENT_ID_ = PARENT_EXECUTION.ID_ WHERE EXECUTION_ID_ = 'e1' AND TASK_ID_ IS NULL";
        for (String plan : List.of(plan(query), plan(query + " AND NAME_ IN ('readId', 'studyInstanceUid')"))) {
            assertThat(plan).contains("GF_IDX_VAR_EXEC_TASK: EXECUTION_ID_ = 'e1'")
                    .doesNotContain("ACT_IDX_VARIABLE_TASK_ID");
        }
    }

    @Test
    void aTasksSubtasksAreLookedUpByIndex() {
        // TaskManager.findTasksByParentTaskId, at every completion of a task
        assertThat(plan("SELECT * FROM ACT_RU_TASK WHERE PARENT_TASK_ID_ = 't1'"))
                .contains("GF_IDX_TASK_PARENT").doesNotContain("tableScan");
    }

    private String plan(String query) {
        return jdbc.queryForObject("EXPLAIN " + query, String.class);
    }
}
