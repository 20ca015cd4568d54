package org.groundflow.workflow.process;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.DefaultJobRetryCmd;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.jobexecutor.FailedJobCommandFactory;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.groundflow.dicomweb.DicomWebStatusException;
import org.groundflow.fhir.client.FhirPublicationException;
import org.springframework.stereotype.Component;

/**
 * Which step failures retrying cannot cure: a FHIR server that refuses Groundflow's credentials or the bundle, a
 * PACS that answers 401 or 403. Such a failure becomes an incident at once instead of after every retry, so a
 * wrong password causes one refused call, not a storm of them; once the cause is fixed, retrying the incident
 * (Cockpit) runs the step again. Everything else follows the step's retry cycle ({@link StepRetries}).
 */
@Component
public class StepFailures extends AbstractProcessEnginePlugin {

    public static boolean isPermanent(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof FhirPublicationException fhir) {
                return !fhir.retryable();
            }
            if (cause instanceof DicomWebStatusException pacs) {
                return pacs.status() == 401 || pacs.status() == 403;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        configuration.setFailedJobCommandFactory(new FailedJobCommandFactory() {
            @Override
            public Command<Object> getCommand(String jobId, Throwable exception) {
                return new DefaultJobRetryCmd(jobId, exception) {
                    @Override
                    public Object execute(CommandContext context) {
                        if (!isPermanent(exception)) {
                            return super.execute(context);
                        }
                        JobEntity job = getJob();
                        if (job != null) {
                            job.unlock();
                            logException(job);
                            job.setRetries(0);
                            notifyAcquisition(context);
                        }
                        return null;
                    }
                };
            }
        });
    }
}
