package org.groundflow.workflow.security;

/**
 * Groundflow's roles, all derived from group membership in Camunda's identity service: members of
 * {@code camunda-admin} are admins (deploy, Cockpit, Admin), members of {@code workers} are worker
 * service accounts (the external tasks of their topics over the engine's REST API, nothing else); everyone else signs
 * in as a user who sees and completes the review tasks of the groups they belong to.
 */
public final class Roles {

    public static final String ADMIN = "ADMIN";
    public static final String WORKER = "WORKER";
    public static final String USER = "USER";

    public static final String ADMIN_GROUP = "camunda-admin";
    public static final String WORKER_GROUP = "workers";

    /** Authority prefix of a group membership: {@code GROUP_radiologists}. */
    public static final String GROUP_PREFIX = "GROUP_";

    private Roles() {
    }
}
