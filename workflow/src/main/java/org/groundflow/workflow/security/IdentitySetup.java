package org.groundflow.workflow.security;

import java.util.List;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.Group;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.groundflow.workflow.read.ReadVariables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The groups Groundflow's process models and roles name, created when missing: the review group (with access to
 * Camunda's Tasklist) and the worker service accounts' group. No user is created here.
 */
@Component
public class IdentitySetup {

    private static final Logger log = LoggerFactory.getLogger(IdentitySetup.class);

    private final IdentityService identity;
    private final AuthorizationService authorizations;

    public IdentitySetup(IdentityService identity, AuthorizationService authorizations) {
        this.identity = identity;
        this.authorizations = authorizations;
    }

    @EventListener(ApplicationStartedEvent.class)
    public void ensureGroups() {
        ensureGroup(ReadVariables.RADIOLOGISTS, "Radiologists");
        ensureGroup(Roles.WORKER_GROUP, "Worker service accounts");
        boolean tasklist = authorizations.createAuthorizationQuery().resourceType(Resources.APPLICATION)
                .resourceId("tasklist").groupIdIn(ReadVariables.RADIOLOGISTS).count() > 0;
        if (!tasklist) {
            Authorization grant = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
            grant.setGroupId(ReadVariables.RADIOLOGISTS);
            grant.setResource(Resources.APPLICATION);
            grant.setResourceId("tasklist");
            grant.addPermission(Permissions.ACCESS);
            authorizations.saveAuthorization(grant);
        }
    }

    private void ensureGroup(String id, String name) {
        if (identity.createGroupQuery().groupId(id).count() == 0) {
            Group group = identity.newGroup(id);
            group.setName(name);
            group.setType(Groups.GROUP_TYPE_WORKFLOW);
            identity.saveGroup(group);
            log.info("group {} created", id);
        }
    }

    /** Creates {@code user} with {@code password} in {@code groups} unless the user exists (for demos and tests). */
    public void ensureUser(String user, String password, List<String> groups) {
        if (identity.createUserQuery().userId(user).count() == 0) {
            var created = identity.newUser(user);
            created.setFirstName(user);
            created.setLastName("(Groundflow)");
            created.setPassword(password);
            identity.saveUser(created);
        }
        for (String group : groups) {
            if (identity.createGroupQuery().groupId(group).count() == 0) {
                ensureGroup(group, group);
            }
            if (identity.createUserQuery().userId(user).memberOfGroup(group).count() == 0) {
                identity.createMembership(user, group);
            }
        }
    }
}
