package org.groundflow.workflow.api;

import static org.groundflow.workflow.read.ReadVariables.PROCESS_KEY;
import static org.groundflow.workflow.read.ReadVariables.READ_ID;
import static org.groundflow.workflow.read.ReadVariables.REQUESTED_BY;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.groundflow.workflow.read.ReadStore;
import org.groundflow.workflow.read.ReadVariables;
import org.groundflow.workflow.security.Roles;
import org.groundflow.workflow.security.SignedInUser;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Who may see a read (its state, draft, images and overlays): admins, whoever requested it, and the users its sign-off
 * task is offered to (a member of one of its candidate groups) or assigned to, the same rule as signing it. A
 * study's audit is for admins and for whoever may see one of the study's reads. A read is cancelled by whoever
 * requested it or an admin, amended by a radiologist who may see it, and retracted by an admin.
 */
@Component
public class ReadAccess {

    /** The operation type of an identity link log entry that removed the link. */
    private static final String REMOVED = "delete";

    private final HistoryService history;
    private final TaskService taskService;

    public ReadAccess(HistoryService history, TaskService taskService) {
        this.history = history;
        this.taskService = taskService;
    }

    /** Checks that {@code readId} names a read the signed-in user may see; answers 400, 404 or 403 otherwise. */
    public void requireViewer(String readId) {
        HistoricProcessInstance read = read(readId);
        SignedInUser user = SignedInUser.current();
        Viewers viewers = viewers(read);
        if (!isAdmin(user) && !viewers.include(user)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "read " + readId + " is seen by whoever requested it, by the"
                    + " users its review is offered to " + viewers.groups() + " or assigned to, and by admins, not by "
                    + user.id());
        }
    }

    /** Checks that the signed-in user requested the read or is an admin; answers 400, 404 or 403 otherwise. */
    public void requireCanceller(String readId) {
        HistoricProcessInstance read = read(readId);
        SignedInUser user = SignedInUser.current();
        if (!isAdmin(user) && !user.id().equals(requester(read))) {
            throw new ApiException(HttpStatus.FORBIDDEN,
                    "read " + readId + " can be cancelled by whoever requested it or an admin, not by " + user.id());
        }
    }

    /**
     * Checks that the signed-in user may amend the read: a radiologist (member of {@value ReadVariables#RADIOLOGISTS})
     * who may see it; answers 400, 404 or 403 otherwise.
     */
    public void requireAmender(String readId) {
        requireViewer(readId);
        SignedInUser user = SignedInUser.current();
        if (!user.groups().contains(ReadVariables.RADIOLOGISTS)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "read " + readId + " is amended by radiologists ("
                    + ReadVariables.RADIOLOGISTS + ") who may see it, not by " + user.id());
        }
    }

    /** Checks that {@code readId} names a read and the signed-in user is an admin; answers 400, 404 or 403 otherwise. */
    public void requireRetractor(String readId) {
        read(readId);
        SignedInUser user = SignedInUser.current();
        if (!isAdmin(user)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "read " + readId + " can be retracted by admins only, not by "
                    + user.id());
        }
    }

    /** Checks that the signed-in user is an admin or may see a read of the study; answers 403 otherwise. */
    public void requireStudyViewer(String studyInstanceUid) {
        SignedInUser user = SignedInUser.current();
        if (isAdmin(user)) {
            return;
        }
        for (HistoricProcessInstance read : history.createHistoricProcessInstanceQuery().processDefinitionKey(PROCESS_KEY)
                .processInstanceBusinessKey(studyInstanceUid).list()) {
            if (viewers(read).include(user)) {
                return;
            }
        }
        throw new ApiException(HttpStatus.FORBIDDEN, "the audit of study " + studyInstanceUid
                + " is for admins and for those who may see one of its reads, not for " + user.id());
    }

    private HistoricProcessInstance read(String readId) {
        if (!ReadStore.isReadId(readId)) {
            throw ApiException.badRequest("readId must be a lower-case UUID, got '" + readId + "'");
        }
        return history.createHistoricProcessInstanceQuery().processDefinitionKey(PROCESS_KEY)
                .variableValueEquals(READ_ID, readId).listPage(0, 1).stream().findFirst()
                .orElseThrow(() -> ApiException.notFound("no read with id " + readId));
    }

    /** Who requested the read, and whom its sign-off tasks are (or were, when they closed) offered or assigned to. */
    private record Viewers(Object requester, Set<String> assignees, Set<String> groups) {

        boolean include(SignedInUser user) {
            return user.id().equals(requester) || assignees.contains(user.id()) || user.memberOfAny(List.copyOf(groups));
        }
    }

    private Viewers viewers(HistoricProcessInstance read) {
        Set<String> assignees = new LinkedHashSet<>();
        Set<String> groups = new LinkedHashSet<>();
        for (HistoricTaskInstance task : history.createHistoricTaskInstanceQuery().processInstanceId(read.getId()).list()) {
            if (task.getAssignee() != null) {
                assignees.add(task.getAssignee());
            }
            groups.addAll(candidateGroups(task));
        }
        return new Viewers(requester(read), assignees, groups);
    }

    private static boolean isAdmin(SignedInUser user) {
        return user.groups().contains(Roles.ADMIN_GROUP);
    }

    private Object requester(HistoricProcessInstance read) {
        HistoricVariableInstance requester = history.createHistoricVariableInstanceQuery().processInstanceId(read.getId())
                .variableName(REQUESTED_BY).singleResult();
        return requester == null ? null : requester.getValue();
    }

    /**
     * The groups an open task is offered to now, or a closed one was offered to when it closed (from the identity link
     * log, whose additions and removals are replayed in order).
     */
    private Set<String> candidateGroups(HistoricTaskInstance task) {
        Set<String> groups = new LinkedHashSet<>();
        if (task.getEndTime() == null) {
            taskService.getIdentityLinksForTask(task.getId()).stream()
                    .filter(link -> IdentityLinkType.CANDIDATE.equals(link.getType()) && link.getGroupId() != null)
                    .forEach(link -> groups.add(link.getGroupId()));
            return groups;
        }
        history.createHistoricIdentityLinkLogQuery().taskId(task.getId()).type(IdentityLinkType.CANDIDATE)
                .orderByTime().asc().list().stream()
                .filter(link -> link.getGroupId() != null)
                .forEach(link -> {
                    if (REMOVED.equals(link.getOperationType())) {
                        groups.remove(link.getGroupId());
                    } else {
                        groups.add(link.getGroupId());
                    }
                });
        return groups;
    }
}
