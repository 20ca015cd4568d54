package org.groundflow.workflow.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.groundflow.dicomweb.Uid;
import org.groundflow.inference.Finding;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.SegmentMasks;
import org.groundflow.review.SignOff;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the read store promises, on any database Groundflow supports: a draft and a sign-off read back as kept, one
 * sign-off per read and per task, one running read per study also when two claim it at once, and retention that
 * deletes masks and geometry of ended reads only.
 */
abstract class ReadStoreContract {

    private static final Instant SIGNED_AT = Instant.parse("2024-06-11T10:30:00.123456Z");

    private final ReadStore store;
    private final JdbcTemplate jdbc;
    private final PlatformTransactionManager transactions;

    /** @param store the store under test, on a database made by Groundflow's migrations ({@code jdbc}) */
    ReadStoreContract(ReadStore store, JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.store = store;
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    private static String newRead() {
        return UUID.randomUUID().toString();
    }

    private static Uid newStudy() {
        return Uid.of("2.25." + Math.abs(UUID.randomUUID().getMostSignificantBits()));
    }

    private SignOff signOff(String readId, Instant at) {
        return DraftFixtures.acceptAll(readId, DraftFixtures.small().interpretation(), "Signed.", "rad1", at);
    }

    @Test
    void aDraftReadsBackWithItsSiteLateralityMasksAndGeometry() {
        String read = newRead();
        Draft draft = DraftFixtures.small();

        store.saveDraft(read, draft, SIGNED_AT);

        assertThat(store.interpretation(read)).contains(draft.interpretation());
        assertThat(store.interpretation(read).orElseThrow().findings().get(0).laterality())
                .isEqualTo(draft.interpretation().findings().get(0).laterality());
        assertThat(store.masks(read).orElseThrow()).usingRecursiveComparison().isEqualTo(draft.masks());
        assertThat(store.volume(read).orElseThrow()).usingRecursiveComparison().isEqualTo(draft.volume());
        assertThat(store.draftedAt(read)).contains(SIGNED_AT);
        assertThat(store.interpretation(newRead())).isEmpty();
    }

    @Test
    void aRetriedInterpretationReplacesTheDraft() {
        String read = newRead();
        Draft first = DraftFixtures.small();
        store.saveDraft(read, first, SIGNED_AT);
        Draft again = new Draft(new Interpretation(first.interpretation().studyInstanceUid(),
                first.interpretation().seriesInstanceUid(), first.interpretation().model(), List.of(), "Nothing."),
                new SegmentMasks(4, 3, 2, List.of()), first.volume());

        store.saveDraft(read, again, SIGNED_AT.plusSeconds(5));

        assertThat(store.interpretation(read)).contains(again.interpretation());
        assertThat(store.masks(read).orElseThrow().masks()).isEmpty();
        assertThat(store.draftedAt(read)).contains(SIGNED_AT.plusSeconds(5));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM GF_DRAFT WHERE READ_ID = ?", Integer.class, read)).isEqualTo(1);
    }

    @Test
    void aDraftStoredWithoutCodedSiteReadsWithoutOne() {
        String read = newRead();
        String stored = """
                {"studyInstanceUid": "2.25.1", "seriesInstanceUid": "2.25.2",
                 "model": {"name": "demo", "version": "1.0.0", "uid": "2.25.3", "manufacturer": "Groundflow"},
                 "findings": [{"number": 1, "label": "nodule",
                               "code": {"value": "27925004", "scheme": "SCT", "meaning": "Nodule"},
                               "text": "A nodule in the right middle zone.", "phrase": "nodule", "segmentNumber": 1,
                               "confidence": 0.9, "location": "right middle zone"}],
                 "impression": "1 nodule; see findings."}""";
        jdbc.update("INSERT INTO GF_DRAFT (READ_ID, INTERPRETATION, DRAFTED_AT) VALUES (?, ?, CURRENT_TIMESTAMP)", read,
                stored);

        Finding finding = store.interpretation(read).orElseThrow().findings().get(0);

        assertThat(finding.location()).isEqualTo("right middle zone");
        assertThat(finding.site()).isNull();
        assertThat(finding.laterality()).isNull();
        assertThat(store.masks(read)).isEmpty();
        assertThat(store.volume(read)).isEmpty();
    }

    @Test
    void aReadHasOneSignOffAndATaskSignsOneRead() {
        String read = newRead();
        SignOff first = signOff(read, SIGNED_AT);

        store.saveSignOff("task-" + read, first);

        assertThat(store.signOff(read)).contains(first);
        assertThat(store.signOffOfTask("task-" + read)).contains(first);
        assertThatThrownBy(() -> store.saveSignOff("other-task-" + read, signOff(read, SIGNED_AT.plusSeconds(1))))
                .as("a second sign-off of the read").isInstanceOf(DuplicateKeyException.class);
        assertThatThrownBy(() -> store.saveSignOff("task-" + read, signOff(newRead(), SIGNED_AT)))
                .as("a second read signed by the task").isInstanceOf(DuplicateKeyException.class);
        assertThat(store.signOff(read)).contains(first);
    }

    @Test
    void anAmendmentReplacesTheSignOffWithALaterOne() {
        String read = newRead();
        store.saveSignOff("task-" + read, signOff(read, SIGNED_AT));
        SignOff amended = signOff(read, SIGNED_AT.plusSeconds(3600));

        store.amendSignOff("amend-" + read, amended);

        assertThat(store.signOff(read)).contains(amended);
        assertThat(store.signOffs(read)).as("every sign-off, oldest first").containsExactly(signOff(read, SIGNED_AT),
                amended);
        assertThat(store.signOffOfTask("task-" + read)).as("the first task's sign-off").contains(signOff(read, SIGNED_AT));
        assertThat(store.signOffOfTask("amend-" + read)).contains(amended);
        assertThatThrownBy(() -> store.amendSignOff("again-" + read, signOff(read, SIGNED_AT)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("read " + read);
        assertThat(store.signOffs(read)).hasSize(2);
    }

    @Test
    void aStudyHasOneRunningReadUntilItEnds() {
        Uid study = newStudy();
        String first = newRead();
        String second = newRead();
        store.claimStudy(study, first);
        store.started(first, study, "pi-" + first, "rad1", SIGNED_AT);

        assertThatThrownBy(() -> store.claimStudy(study, second)).isInstanceOf(DuplicateKeyException.class);
        assertThat(store.runningRead(study)).contains(first);
        assertThat(store.processInstance(first)).contains("pi-" + first);

        store.ended(first, ReadStore.COMPLETED, SIGNED_AT.plusSeconds(60));
        store.claimStudy(study, second);

        assertThat(store.runningRead(study)).contains(second);
        assertThat(store.endedBefore(List.of(first, second), SIGNED_AT.plusSeconds(61))).containsExactly(first);
        assertThat(store.endedBefore(List.of(first, second), SIGNED_AT.plusSeconds(60))).isEmpty();
    }

    @Test
    void ofTwoClaimsOfAStudyAtTheSameMomentOneCommits() throws Exception {
        for (int round = 0; round < 5; round++) {
            Uid study = newStudy();
            CountDownLatch together = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                List<Future<Boolean>> claims = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    claims.add(threads.submit(() -> {
                        together.await();
                        try {
                            new TransactionTemplate(transactions).executeWithoutResult(status -> {
                                store.claimStudy(study, newRead());
                                sleep(150); // the transaction stays open while the other one tries
                            });
                            return true;
                        } catch (DataAccessException e) {
                            return false;
                        }
                    }));
                }
                together.countDown();
                int committed = 0;
                for (Future<Boolean> claim : claims) {
                    committed += claim.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(committed).as("claims committed in round %s", round).isEqualTo(1);
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM GF_ACTIVE_STUDY WHERE STUDY_UID = ?", Integer.class,
                        study.value())).isEqualTo(1);
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void retentionDeletesMasksAndGeometryOfEndedReadsAndKeepsFindingsAndSignOff() {
        String ended = newRead();
        String running = newRead();
        for (String read : List.of(ended, running)) {
            store.claimStudy(newStudy(), read);
            store.started(read, newStudy(), "pi-" + read, "rad1", SIGNED_AT);
            store.saveDraft(read, DraftFixtures.small(), SIGNED_AT);
            store.saveSignOff("task-" + read, signOff(read, SIGNED_AT));
        }
        store.ended(ended, ReadStore.CANCELLED, SIGNED_AT.plusSeconds(10));
        Instant now = Instant.now();

        assertThat(store.purgeEndedBefore(SIGNED_AT.plusSeconds(10), now)).as("ended at the cutoff, not before").isZero();
        int purged = store.purgeEndedBefore(SIGNED_AT.plusSeconds(11), now);
        int again = store.purgeEndedBefore(SIGNED_AT.plusSeconds(11), now);

        assertThat(purged).isGreaterThanOrEqualTo(1);
        assertThat(again).isZero();
        assertThat(store.masks(ended)).isEmpty();
        assertThat(store.volume(ended)).isEmpty();
        assertThat(store.interpretation(ended)).isPresent();
        assertThat(store.signOff(ended)).isPresent();
        assertThat(store.masks(running)).isPresent();
        assertThat(store.volume(running)).isPresent();
        assertThat(jdbc.queryForObject("SELECT OUTCOME FROM GF_READ WHERE READ_ID = ?", String.class, ended))
                .isEqualTo(ReadStore.CANCELLED);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM GF_READ WHERE READ_ID = ? AND PURGED_AT IS NOT NULL",
                Integer.class, ended)).isEqualTo(1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
