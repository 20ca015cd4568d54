package org.groundflow.workflow.process;

import java.util.Date;
import java.util.concurrent.ThreadLocalRandom;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.DefaultJobRetryCmd;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.jobexecutor.FailedJobCommandFactory;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.groundflow.dicomweb.DicomWebStatusException;
import org.groundflow.dicomweb.Uid;
import org.groundflow.fhir.client.FhirPublicationException;
import org.springframework.stereotype.Component;

/**
 * Which step failures retrying cannot cure: a FHIR server that refuses Groundflow's credentials or the bundle, a
 * PACS that answers with a 4xx status other than 408, 409 and 429 (credentials refused, a request it cannot serve).
 * Such a failure becomes an incident at once instead of after every retry, so a wrong password causes one refused
 * call, not a storm of them; once the cause is fixed, retrying the incident (Cockpit) runs the step again.
 * Everything else (a server down, slow or overloaded, 5xx, a FHIR 409 from concurrent writes of a shared resource)
 * follows the step's retry cycle ({@link StepRetries}), each pause lengthened by a random part of up to a quarter, so
 * that the steps of many reads that failed together (a backlog after an outage) do not all come back at once.
 */
@Component
public class StepFailures extends AbstractProcessEnginePlugin {

    public static boolean isPermanent(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof FhirPublicationException fhir) {
                return !fhir.retryable();
            }
            if (cause instanceof DicomWebStatusException pacs) {
                int status = pacs.status();
                return status >= 400 && status < 500 && status != 408 && status != 409 && status != 429;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /**
     * The failure of a step of the study's read as the incident shows it: a message that names the study (and, from
     * the failure, the server and the status or what went wrong); the failure stays its cause, so it is as permanent
     * or transient as before.
     */
    public static RuntimeException naming(Uid study, RuntimeException failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        if (message.contains("study " + study.value())) {
            return failure;
        }
        return new StudyStepException("study " + study.value() + ": " + message, failure);
    }

    /** A step's failure, named after its study. */
    static final class StudyStepException extends RuntimeException {
        StudyStepException(String message, RuntimeException cause) {
            super(message, cause);
        }
    }

    /** Moves a job's next run later by a random part of up to a quarter of its pause. */
    private static void jitter(JobEntity job) {
        if (job == null || job.getRetries() <= 0 || job.getDuedate() == null) {
            return;
        }
        long pause = job.getDuedate().getTime() - ClockUtil.getCurrentTime().getTime();
        if (pause > 3) {
            job.setDuedate(new Date(job.getDuedate().getTime() + ThreadLocalRandom.current().nextLong(pause / 4)));
        }
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
                            Object result = super.execute(context);
                            jitter(getJob());
                            return result;
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
