package org.groundflow.workflow.read;

import static org.groundflow.workflow.read.ReadVariables.SIGN_OFF_TASKS;

import java.util.List;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.groundflow.workflow.config.GroundflowProperties;
import org.groundflow.workflow.config.GroundflowProperties.Escalation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * An overdue review: its priority goes up and it gets a comment saying so (notify); with {@code reassign} it is
 * also offered to the escalation group. The task stays open with whoever already had it.
 */
@Service
public class ReviewEscalation {

    static final int ESCALATED_PRIORITY = 90;

    private static final Logger log = LoggerFactory.getLogger(ReviewEscalation.class);

    private final TaskService tasks;
    private final GroundflowProperties.Review review;

    public ReviewEscalation(TaskService tasks, GroundflowProperties properties) {
        this.tasks = tasks;
        this.review = properties.review();
    }

    /** @return the ids of the escalated tasks */
    public List<String> escalate(String processInstanceId, String readId) {
        List<Task> open = tasks.createTaskQuery().processInstanceId(processInstanceId)
                .taskDefinitionKeyIn(SIGN_OFF_TASKS.toArray(String[]::new)).active().list();
        for (Task task : open) {
            tasks.setPriority(task.getId(), ESCALATED_PRIORITY);
            String note = "Review overdue (open longer than " + review.escalateAfter() + ")";
            if (review.escalation() == Escalation.REASSIGN) {
                tasks.addCandidateGroup(task.getId(), review.escalationGroup());
                note += "; offered to " + review.escalationGroup();
            }
            tasks.createComment(task.getId(), processInstanceId, note);
            log.warn("read {}: review task {} escalated ({})", readId, task.getId(), review.escalation());
        }
        return open.stream().map(Task::getId).toList();
    }
}
