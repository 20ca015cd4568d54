package org.groundflow.workflow.read;

import static org.groundflow.workflow.read.ReadVariables.*;

import java.util.Objects;
import java.util.UUID;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.variable.Variables;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Starts grounded reads: the study's UID is checked, the PACS is asked whether it holds the study (QIDO-RS), and a
 * study gets one running read at a time. Every answer is an {@link Outcome}; only a PACS that cannot be asked throws.
 */
@Service
public class ReadStarts {

    /** What a request to start a read came to. */
    public sealed interface Outcome permits Started, AlreadyRunning, UnknownStudy, NotAUid {
    }

    /** A read was started: its id and its process instance. */
    public record Started(String readId, String processInstanceId) implements Outcome {
    }

    /** The study already has a read running; none was started. */
    public record AlreadyRunning(Uid study, String readId) implements Outcome {
    }

    /** The PACS does not hold the study. */
    public record UnknownStudy(Uid study) implements Outcome {
    }

    /** The value given as the study's UID is not a UID; {@code reason} names the rule it breaks. */
    public record NotAUid(String value, String reason) implements Outcome {
    }

    private static final Logger log = LoggerFactory.getLogger(ReadStarts.class);

    private final RuntimeService runtime;
    private final DicomWebClient pacs;

    public ReadStarts(RuntimeService runtime, DicomWebClient pacs) {
        this.runtime = runtime;
        this.pacs = pacs;
    }

    /** Starts a read of the study for {@code requestedBy}, unless one is running; one start at a time. */
    public synchronized Outcome start(String studyInstanceUid, String requestedBy) {
        Objects.requireNonNull(requestedBy, "requestedBy");
        Uid study;
        try {
            study = Uid.of(studyInstanceUid);
        } catch (IllegalArgumentException e) {
            return new NotAUid(studyInstanceUid, e.getMessage());
        }
        if (pacs.findStudy(study).isEmpty()) {
            return new UnknownStudy(study);
        }
        ProcessInstance running = runtime.createProcessInstanceQuery()
                .processDefinitionKey(PROCESS_KEY).processInstanceBusinessKey(study.value()).active().listPage(0, 1)
                .stream().findFirst().orElse(null);
        if (running != null) {
            return new AlreadyRunning(study, (String) runtime.getVariable(running.getId(), READ_ID));
        }
        String readId = UUID.randomUUID().toString();
        ProcessInstance instance = runtime.startProcessInstanceByKey(PROCESS_KEY, study.value(),
                Variables.createVariables().putValue(READ_ID, readId).putValue(STUDY_INSTANCE_UID, study.value())
                        .putValue(REQUESTED_BY, requestedBy));
        log.info("read {} started for study {} (process instance {})", readId, study, instance.getId());
        return new Started(readId, instance.getId());
    }
}
