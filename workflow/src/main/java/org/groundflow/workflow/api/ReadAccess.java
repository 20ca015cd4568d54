package org.groundflow.workflow.api;

import static org.groundflow.workflow.read.ReadVariables.PROCESS_KEY;
import static org.groundflow.workflow.read.ReadVariables.READ_ID;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricIdentityLinkLog;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.groundflow.workflow.read.ReadStore;
import org.groundflow.workflow.security.Roles;
import org.groundflow.workflow.security.SignedInUser;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Who may see a read's images: admins, and the users its sign-off tasks were offered to (a member of one of their
 * candidate groups) or assigned to, the same rule as signing a review; before the read reaches review, only admins.
 */
@Component
public class ReadAccess {

    private final HistoryService history;
    private final TaskService taskService;

    public ReadAccess(HistoryService history, TaskService taskService) {
        this.history = history;
        this.taskService = taskService;
    }

    /** Checks that {@code readId} names a read the signed-in user may see; answers 400, 404 or 403 otherwise. */
    public void requireViewer(String readId) {
        if (!ReadStore.isReadId(readId)) {
            throw ApiException.badRequest("readId must be a lower-case UUID, got '" + readId + "'");
        }
        HistoricProcessInstance read = history.createHistoricProcessInstanceQuery().processDefinitionKey(PROCESS_KEY)
                .variableValueEquals(READ_ID, readId).listPage(0, 1).stream().findFirst()
                .orElseThrow(() -> ApiException.notFound("no read with id " + readId));
        SignedInUser user = SignedInUser.current();
        if (user.groups().contains(Roles.ADMIN_GROUP)) {
            return;
        }
        List<HistoricTaskInstance> tasks = history.createHistoricTaskInstanceQuery()
                .processInstanceId(read.getId()).list();
        Set<String> groups = new LinkedHashSet<>();
        for (HistoricTaskInstance task : tasks) {
            if (user.id().equals(task.getAssignee())) {
                return;
            }
            for (HistoricIdentityLinkLog link : history.createHistoricIdentityLinkLogQuery().taskId(task.getId())
                    .type(IdentityLinkType.CANDIDATE).list()) {
                if (link.getGroupId() != null) {
                    groups.add(link.getGroupId());
                }
            }
            if (task.getEndTime() == null) { // open tasks also without the identity link log (history below full)
                taskService.getIdentityLinksForTask(task.getId()).stream()
                        .filter(link -> IdentityLinkType.CANDIDATE.equals(link.getType()) && link.getGroupId() != null)
                        .forEach(link -> groups.add(link.getGroupId()));
            }
        }
        if (user.memberOfAny(List.copyOf(groups))) {
            return;
        }
        throw new ApiException(HttpStatus.FORBIDDEN, tasks.isEmpty()
                ? "read " + readId + " has not reached review yet; until then only admins see its images"
                : "read " + readId + " is reviewed by " + groups + ", not by " + user.id());
    }
}
