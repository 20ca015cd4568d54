package org.groundflow.workflow.intake;

import static org.groundflow.workflow.intake.IntakeVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Find stable new studies: one intake pass with the filter of the task's inputs (modality, bodyPart, station,
 * stableFor, lookBack; an input left out takes the configured default). Does nothing while the intake is disabled.
 * Out: candidateCount, startedReadCount.
 */
@Component("qidoIntakeStep")
public class QidoIntakeStep implements JavaDelegate {

    private static final Logger log = LoggerFactory.getLogger(QidoIntakeStep.class);

    private final StudyIntake intake;
    private final IntakeSchedule schedule;

    public QidoIntakeStep(StudyIntake intake, IntakeSchedule schedule) {
        this.intake = intake;
        this.schedule = schedule;
    }

    @Override
    public void execute(DelegateExecution execution) {
        if (!schedule.isEnabled()) {
            log.info("study intake is disabled (groundflow.intake.enabled=false): pass skipped");
            execution.setVariable(CANDIDATE_COUNT, 0);
            execution.setVariable(STARTED_READ_COUNT, 0);
            return;
        }
        IntakeFilter filter = IntakeFilter.parse(
                input(execution, MODALITY, schedule.getModality()),
                input(execution, BODY_PART, schedule.getBodyPart()),
                input(execution, STATION, schedule.getStation()),
                input(execution, STABLE_FOR, schedule.getStableFor()),
                input(execution, LOOK_BACK, schedule.getLookBack()));
        StudyIntake.Pass pass = intake.pass(filter);
        execution.setVariable(CANDIDATE_COUNT, pass.candidateCount());
        execution.setVariable(STARTED_READ_COUNT, pass.started().size());
    }

    /** The input's text; an input the model does not define takes the configured default, an empty one means "any". */
    private static String input(DelegateExecution execution, String name, String configured) {
        if (!execution.hasVariable(name)) {
            return configured;
        }
        Object value = execution.getVariable(name);
        return value == null ? "" : value.toString();
    }
}
