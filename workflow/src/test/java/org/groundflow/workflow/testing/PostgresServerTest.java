package org.groundflow.workflow.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PostgresServerTest {

    @Test
    void startsAThrowawayClusterOnLoopbackAndStopsItByPid() throws Exception {
        long pid;
        try (PostgresServer pg = new PostgresServer().start()) {
            String url = pg.createDatabase("fixture");
            pid = pg.postmasterPid().orElseThrow();
            try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, "");
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id int primary key)");
                s.execute("INSERT INTO t VALUES (1)");
                try (ResultSet r = s.executeQuery("SELECT inet_server_addr()::text, current_user, count(*) FROM t GROUP BY 1, 2")) {
                    assertTrue(r.next());
                    assertEquals("127.0.0.1/32", r.getString(1));
                    assertEquals(PostgresServer.USER, r.getString(2));
                    assertEquals(1, r.getInt(3));
                }
                try (ResultSet r = s.executeQuery("SELECT usesuper FROM pg_user WHERE usename = current_user")) {
                    assertTrue(r.next());
                }
            }
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            String owner = ProcessHandle.of(pid).flatMap(p -> p.info().user()).orElse("?");
            assertFalse("root".equals(owner), "PostgreSQL must not run as root");
        }
        Thread.sleep(200);
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "postmaster " + pid + " still running");
    }
}
