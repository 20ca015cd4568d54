package org.groundflow.workflow.intake;

import static org.groundflow.workflow.intake.IntakeVariables.PROCESS_KEY;

import org.camunda.bpm.engine.RepositoryService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Turns the intake's timer on or off once the application is ready (the models are deployed by then), as
 * {@code groundflow.intake.enabled} says: the {@code study-intake} process definitions are activated or suspended,
 * and with them the timer start event's job. Every node does this at startup, so all nodes of a cluster should be
 * configured alike. The find step checks the setting again, for a timer that fires before this runs. (Not on the
 * starter's PostDeployEvent: that is only published for a {@code @EnableProcessApplication} application.)
 */
@Component
public class IntakeActivation {

    private static final Logger log = LoggerFactory.getLogger(IntakeActivation.class);

    private final RepositoryService repository;
    private final IntakeSchedule schedule;

    public IntakeActivation(RepositoryService repository, IntakeSchedule schedule) {
        this.repository = repository;
        this.schedule = schedule;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void apply() {
        if (repository.createProcessDefinitionQuery().processDefinitionKey(PROCESS_KEY).count() == 0) {
            log.warn("process {} is not deployed: no study intake", PROCESS_KEY);
            return;
        }
        if (schedule.isEnabled()) {
            if (repository.createProcessDefinitionQuery().processDefinitionKey(PROCESS_KEY).suspended().count() > 0) {
                repository.activateProcessDefinitionByKey(PROCESS_KEY);
            }
            log.info("study intake enabled: polls the PACS on cycle {} for {}", schedule.getCycle(), schedule.filter());
        } else {
            if (repository.createProcessDefinitionQuery().processDefinitionKey(PROCESS_KEY).active().count() > 0) {
                repository.suspendProcessDefinitionByKey(PROCESS_KEY);
            }
            log.info("study intake disabled (groundflow.intake.enabled=false): process {} suspended", PROCESS_KEY);
        }
    }
}
