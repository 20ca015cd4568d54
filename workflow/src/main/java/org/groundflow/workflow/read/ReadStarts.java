package org.groundflow.workflow.read;

import static org.groundflow.workflow.read.ReadVariables.*;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.variable.Variables;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts grounded reads: the study's UID is checked, the PACS is asked whether it holds the study (QIDO-RS), and a
 * study gets one running read at a time. The database decides, on every node alike: the read claims its study
 * ({@code GF_ACTIVE_STUDY}, keyed by the study) in the transaction that starts its process, so of two starts at the
 * same moment one commits and the other collides with its key. Every answer is an {@link Outcome}; only a PACS that
 * cannot be asked throws.
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

    /** Starts that lose to a read which ends at the same moment, before giving up. */
    static final int ATTEMPTS = 5;

    private static final Logger log = LoggerFactory.getLogger(ReadStarts.class);

    private final RuntimeService runtime;
    private final DicomWebClient pacs;
    private final ReadStore store;
    private final TransactionTemplate transaction;

    public ReadStarts(RuntimeService runtime, DicomWebClient pacs, ReadStore store, PlatformTransactionManager transactions) {
        this.runtime = runtime;
        this.pacs = pacs;
        this.store = store;
        this.transaction = new TransactionTemplate(transactions);
        // a savepoint inside a caller's transaction (the intake's pass), so that a lost claim spoils only itself
        this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /** Starts a read of the study for {@code requestedBy}, unless one is running. */
    public Outcome start(String studyInstanceUid, String requestedBy) {
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
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return transaction.execute(status -> {
                    Outcome outcome = claimAndStart(study, requestedBy);
                    if (!(outcome instanceof Started)) {
                        status.setRollbackOnly();
                    }
                    return outcome;
                });
            } catch (DuplicateKeyException | PessimisticLockingFailureException e) {
                Optional<AlreadyRunning> running = running(study);
                if (running.isPresent()) {
                    return running.get();
                }
                pause(attempt);
            }
        }
        throw new IllegalStateException("study " + study + ": a read could not be started in " + ATTEMPTS
                + " attempts; reads of the study kept starting and ending at the same moment");
    }

    /** A claim that collided with one not yet committed: give its transaction a moment to end. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(50L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting a read", e);
        }
    }

    /** In one transaction: the study's claim, the process's start and the read's row, or none of them. */
    private Outcome claimAndStart(Uid study, String requestedBy) {
        String readId = UUID.randomUUID().toString();
        store.claimStudy(study, readId);
        ProcessInstance unclaimed = runtime.createProcessInstanceQuery().processDefinitionKey(PROCESS_KEY)
                .processInstanceBusinessKey(study.value()).active().listPage(0, 1).stream().findFirst().orElse(null);
        if (unclaimed != null) { // a read started before reads claimed their study
            return new AlreadyRunning(study, (String) runtime.getVariable(unclaimed.getId(), READ_ID));
        }
        ProcessInstance instance = runtime.startProcessInstanceByKey(PROCESS_KEY, study.value(),
                Variables.createVariables().putValue(READ_ID, readId).putValue(STUDY_INSTANCE_UID, study.value())
                        .putValue(REQUESTED_BY, requestedBy));
        store.started(readId, study, instance.getId(), requestedBy, Instant.now());
        log.info("read {} started for study {} (process instance {})", readId, study, instance.getId());
        return new Started(readId, instance.getId());
    }

    /**
     * The read that holds the study's claim, when its process still runs; a claim whose process is gone without its
     * end recorded (deleted without listeners) is released, and the start tried again.
     */
    private Optional<AlreadyRunning> running(Uid study) {
        Optional<String> holder = store.runningRead(study);
        if (holder.isEmpty()) {
            return Optional.empty();
        }
        boolean alive = store.processInstance(holder.get()).map(id -> runtime.createProcessInstanceQuery()
                .processInstanceId(id).count() > 0).orElse(true);
        if (alive) {
            return Optional.of(new AlreadyRunning(study, holder.get()));
        }
        log.warn("study {}: read {} ended without freeing the study; freed now", study, holder.get());
        store.releaseStudy(study, holder.get());
        return Optional.empty();
    }
}
