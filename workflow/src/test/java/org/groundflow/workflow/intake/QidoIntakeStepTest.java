package org.groundflow.workflow.intake;

import static org.groundflow.workflow.intake.IntakeVariables.*;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Period;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.groundflow.dicomweb.Uid;
import org.junit.jupiter.api.Test;

/** The find step is glue: the task's inputs (or the configured defaults) to a filter, one pass, two outputs. */
class QidoIntakeStepTest {

    private final StudyIntake intake = mock(StudyIntake.class);
    private final DelegateExecution execution = mock(DelegateExecution.class);

    private static IntakeSchedule schedule(boolean enabled) {
        return new IntakeSchedule(new IntakeProperties(enabled, "R/PT1M", "CT", "CHEST", "", Duration.ofMinutes(2), "P1D"));
    }

    private void inputs(Map<String, Object> values) {
        values.forEach((name, value) -> {
            when(execution.hasVariable(name)).thenReturn(true);
            when(execution.getVariable(name)).thenReturn(value);
        });
    }

    @Test
    void theTasksInputsMakeTheFilter() {
        inputs(Map.of(MODALITY, "MR", BODY_PART, "HEAD", STATION, "MR1", STABLE_FOR, "PT30S", LOOK_BACK, "P2D"));
        IntakeFilter expected = IntakeFilter.of("MR", Duration.ofSeconds(30)).withBodyPart("HEAD").withStation("MR1")
                .withLookBack(Period.ofDays(2));
        when(intake.pass(expected)).thenReturn(new StudyIntake.Pass(4, List.of(Uid.of("1.2.3"))));

        new QidoIntakeStep(intake, schedule(true)).execute(execution);

        verify(execution).setVariable(CANDIDATE_COUNT, 4);
        verify(execution).setVariable(STARTED_READ_COUNT, 1);
    }

    @Test
    void inputsTheModelLeavesOutTakeTheConfiguredDefaults() {
        IntakeFilter configured = IntakeFilter.of("CT", Duration.ofMinutes(2)).withBodyPart("CHEST")
                .withLookBack(Period.ofDays(1));
        when(intake.pass(configured)).thenReturn(new StudyIntake.Pass(0, List.of()));

        new QidoIntakeStep(intake, schedule(true)).execute(execution);

        verify(intake).pass(configured);
        verify(execution).setVariable(STARTED_READ_COUNT, 0);
    }

    @Test
    void aDisabledIntakeDoesNotAskThePacs() {
        new QidoIntakeStep(intake, schedule(false)).execute(execution);

        verify(intake, never()).pass(any());
        verify(execution).setVariable(CANDIDATE_COUNT, 0);
        verify(execution).setVariable(STARTED_READ_COUNT, 0);
    }
}
