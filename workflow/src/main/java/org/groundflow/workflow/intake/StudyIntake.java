package org.groundflow.workflow.intake;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.client.QidoQuery;
import org.groundflow.dicomweb.client.SeriesRecord;
import org.groundflow.dicomweb.client.StudyRecord;
import org.groundflow.dicomweb.Uid;
import org.groundflow.workflow.intake.IntakeLedger.Entry;
import org.groundflow.workflow.read.ReadStarts;
import org.groundflow.workflow.read.ReadStarts.AlreadyRunning;
import org.groundflow.workflow.read.ReadStarts.NotAUid;
import org.groundflow.workflow.read.ReadStarts.Outcome;
import org.groundflow.workflow.read.ReadStarts.Started;
import org.groundflow.workflow.read.ReadStarts.UnknownStudy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The study intake: one pass asks the PACS (QIDO-RS) for the studies that match a filter, records each in the
 * {@link IntakeLedger}, and starts a grounded read (through {@link ReadStarts}, which keeps the one-read-per-study
 * rule) for each study whose instance count has not changed for the filter's quiet time. A study is started once:
 * the ledger's claim is a conditional update made in the same transaction as the read's start, so a crash rolls both
 * back and a concurrent pass on another node finds the study claimed.
 */
public class StudyIntake {

    private static final Logger log = LoggerFactory.getLogger(StudyIntake.class);

    /** What one pass saw and did. */
    public record Pass(int candidateCount, List<Uid> started) {

        public Pass {
            started = List.copyOf(started);
        }
    }

    private record Candidate(Uid study, int instanceCount) {
    }

    private final DicomWebClient pacs;
    private final IntakeLedger ledger;
    private final ReadStarts reads;
    private final TransactionTemplate transaction;
    private final Clock clock;

    public StudyIntake(DicomWebClient pacs, IntakeLedger ledger, ReadStarts reads,
                       PlatformTransactionManager transactions, Clock clock) {
        this.pacs = Objects.requireNonNull(pacs, "pacs");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.reads = Objects.requireNonNull(reads, "reads");
        this.transaction = new TransactionTemplate(Objects.requireNonNull(transactions, "transactions"));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * One pass. Runs in the caller's transaction (the engine's, when a process step calls it), else in its own.
     *
     * @return the number of matching studies and those whose read this pass started
     */
    public Pass pass(IntakeFilter filter) {
        Objects.requireNonNull(filter, "filter");
        Instant now = clock.instant();
        List<Candidate> candidates = candidates(filter, LocalDate.now(clock));
        List<Uid> started = transaction.execute(status -> {
            List<Uid> list = new ArrayList<>();
            for (Candidate candidate : candidates) {
                if (consider(candidate, filter, now)) {
                    list.add(candidate.study());
                }
            }
            return list;
        });
        if (started.isEmpty()) {
            log.debug("intake pass: {} matching studies, no read started", candidates.size());
        } else {
            log.info("intake pass: {} matching studies, reads started for {}", candidates.size(), started);
        }
        return new Pass(candidates.size(), started);
    }

    private List<Candidate> candidates(IntakeFilter filter, LocalDate today) {
        List<Candidate> candidates = new ArrayList<>();
        for (StudyRecord study : pacs.searchStudies(filter.studyMatchKeys(today))) {
            OptionalInt count = instanceCount(study);
            if (count.isPresent()) {
                candidates.add(new Candidate(study.studyInstanceUid(), count.getAsInt()));
            } else {
                log.warn("study {}: the PACS gives no instance count, so its stability cannot be judged; skipped",
                        study.studyInstanceUid());
            }
        }
        return candidates;
    }

    /** NumberOfStudyRelatedInstances, or the sum over the study's series when the server leaves it out. */
    private OptionalInt instanceCount(StudyRecord study) {
        if (study.numberOfStudyRelatedInstances().isPresent()) {
            return study.numberOfStudyRelatedInstances();
        }
        List<SeriesRecord> series = pacs.searchSeries(study.studyInstanceUid());
        if (series.isEmpty() || series.stream().anyMatch(s -> s.numberOfSeriesRelatedInstances().isEmpty())) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(series.stream().mapToInt(s -> s.numberOfSeriesRelatedInstances().getAsInt()).sum());
    }

    /** @return whether this pass started the study's read */
    private boolean consider(Candidate candidate, IntakeFilter filter, Instant now) {
        Uid study = candidate.study();
        Entry entry = ledger.find(study).orElse(null);
        if (entry == null) {
            if (ledger.record(study, candidate.instanceCount(), now)) {
                log.debug("study {} seen with {} instances", study, candidate.instanceCount());
            }
            return false;
        }
        if (entry.claimed()) {
            return false;
        }
        if (entry.instanceCount() != candidate.instanceCount()) {
            ledger.countChanged(study, candidate.instanceCount(), now);
            log.debug("study {} changed from {} to {} instances", study, entry.instanceCount(), candidate.instanceCount());
            return false;
        }
        Instant stableSince = now.minus(filter.stableFor());
        if (entry.lastChange().isAfter(stableSince) || !hasMatchingSeries(study, filter)
                || !ledger.claim(study, candidate.instanceCount(), stableSince, now)) {
            return false;
        }
        return start(study, candidate.instanceCount());
    }

    /** The series-level check of body part and station (QIDO-RS /studies/{study}/series), before a read starts. */
    private boolean hasMatchingSeries(Uid study, IntakeFilter filter) {
        Map<String, String> keys = filter.seriesMatchKeys();
        if (keys.isEmpty()) {
            return true;
        }
        QidoQuery query = QidoQuery.all();
        for (Map.Entry<String, String> key : keys.entrySet()) {
            query = query.withMatch(key.getKey(), key.getValue());
        }
        boolean matches = !pacs.searchSeries(study, query).isEmpty();
        if (!matches) {
            log.debug("study {} has no series matching {}; not started", study, keys);
        }
        return matches;
    }

    private boolean start(Uid study, int instanceCount) {
        Outcome outcome = reads.start(study.value(), IntakeVariables.REQUESTED_BY);
        if (outcome instanceof Started read) {
            ledger.settle(study, read.readId(), IntakeLedger.Outcome.STARTED);
            log.info("study {} stable at {} instances: read {} started", study, instanceCount, read.readId());
            return true;
        }
        if (outcome instanceof AlreadyRunning running) {
            ledger.settle(study, null, IntakeLedger.Outcome.ALREADY_RUNNING);
            log.info("study {} stable, but read {} of it is already running; the intake starts none", study,
                    running.readId());
            return false;
        }
        if (outcome instanceof UnknownStudy) {
            ledger.release(study);
            log.warn("study {} is no longer in the PACS; not started", study);
            return false;
        }
        NotAUid invalid = (NotAUid) outcome;
        throw new IllegalStateException("the PACS listed study " + invalid.value() + ", which is not a UID: "
                + invalid.reason());
    }
}
