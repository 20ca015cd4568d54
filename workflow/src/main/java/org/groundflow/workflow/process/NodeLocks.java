package org.groundflow.workflow.process;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.externaltask.ExternalTask;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.groundflow.workflow.config.GroundflowProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * This node's name as the owner of what it locks ({@code groundflow.node-id}, else host name and web server port),
 * and the release of what its previous run still held. A node killed while it runs a step leaves the step's job
 * locked (ACT_RU_JOB.LOCK_OWNER_ and LOCK_EXP_TIME_) and an interpretation task locked by its in-process worker
 * (ACT_RU_EXT_TASK.WORKER_ID_); the engine offers them again only when the lock expires. The run that follows under
 * the same name frees them before its job executor and worker start: nothing of that name can still be running, its
 * process died. So a node that comes back resumes its reads at once; the lock time only bounds how long the other
 * nodes wait for a node that does not come back. The name is also the engine's host name in its job log.
 *
 * <p>Started after the web server (whose port is part of the default name: a second process with the same name
 * cannot bind it) and before the in-process worker; the job executor starts once the application is ready.
 */
@Component
public class NodeLocks implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NodeLocks.class);

    private final ProcessEngine engine;
    private final ApplicationContext context;
    private final String configured;
    private volatile String nodeId;
    private volatile boolean running;

    public NodeLocks(ProcessEngine engine, ApplicationContext context, GroundflowProperties properties) {
        this.engine = engine;
        this.context = context;
        this.configured = properties.nodeId();
    }

    /** This node's name; the job executor's lock owner. */
    public String nodeId() {
        if (nodeId == null) {
            nodeId = configured != null && !configured.isBlank() ? configured.trim() : host() + ":" + port();
        }
        return nodeId;
    }

    /** The worker id under which this node's in-process worker locks interpretation tasks. */
    public String workerId() {
        return "groundflow-in-process-" + nodeId();
    }

    @Override
    public void start() {
        ProcessEngineConfigurationImpl configuration =
                (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
        String owner = nodeId();
        int jobs = new JdbcTemplate(configuration.getDataSource()).update("UPDATE "
                + configuration.getDatabaseTablePrefix() + "ACT_RU_JOB SET LOCK_OWNER_ = NULL, LOCK_EXP_TIME_ = NULL,"
                + " REV_ = REV_ + 1 WHERE LOCK_OWNER_ = ?", owner);
        ExternalTaskService externalTasks = engine.getExternalTaskService();
        int tasks = 0;
        for (ExternalTask task : externalTasks.createExternalTaskQuery().workerId(workerId()).locked().list()) {
            externalTasks.unlock(task.getId());
            tasks++;
        }
        if (configuration.getJobExecutor() != null) {
            configuration.getJobExecutor().setLockOwner(owner);
        }
        // the job log (ACT_HI_JOB_LOG.HOSTNAME_) names the node that ran each job
        configuration.setHostname(owner);
        if (jobs + tasks > 0) {
            log.info("node {}: freed {} jobs and {} interpretation tasks its previous run held when it stopped", owner,
                    jobs, tasks);
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the web server (phase {@code Integer.MAX_VALUE - 2048}), before the in-process worker. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1500;
    }

    private String port() {
        if (context instanceof WebServerApplicationContext web && web.getWebServer() != null
                && web.getWebServer().getPort() > 0) {
            return Integer.toString(web.getWebServer().getPort());
        }
        // no web server (a test context): a name of this context only, which frees nothing of another one
        return "pid" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
