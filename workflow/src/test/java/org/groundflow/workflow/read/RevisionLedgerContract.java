package org.groundflow.workflow.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.groundflow.publication.Revision;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the revision ledger promises, on any database Groundflow supports: one revision per sign-off, the same one for
 * every retry, numbered in order with the predecessor named, also when publications race.
 */
abstract class RevisionLedgerContract {

    private static final Instant SIGNED_AT = Instant.parse("2024-06-11T10:30:00.123456Z");
    private static final Instant AMENDED_AT = SIGNED_AT.plusSeconds(3600);

    private final RevisionLedger ledger;
    private final JdbcTemplate jdbc;

    /** @param ledger the ledger under test, on a database made by Groundflow's migrations ({@code jdbc}) */
    RevisionLedgerContract(RevisionLedger ledger, JdbcTemplate jdbc) {
        this.ledger = ledger;
        this.jdbc = jdbc;
    }

    private static String newRead() {
        return UUID.randomUUID().toString();
    }

    private int rows(String readId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + RevisionLedger.TABLE + " WHERE READ_ID = ?", Integer.class,
                readId);
    }

    @Test
    void aRetriedPublicationGetsTheSameRevision() {
        String read = newRead();

        Revision first = ledger.revisionFor(read, SIGNED_AT);
        Revision retried = ledger.revisionFor(read, SIGNED_AT);

        assertThat(first.number()).isEqualTo(1);
        assertThat(first.predecessor()).isNull();
        assertThat(first.signedAt()).isEqualTo(SIGNED_AT);
        assertThat(retried).isEqualTo(first);
        assertThat(rows(read)).isEqualTo(1);
    }

    @Test
    void aSecondSignOffIsRevisionTwoNamingTheFirstAsPredecessor() {
        String read = newRead();
        Revision first = ledger.revisionFor(read, SIGNED_AT);

        Revision amended = ledger.revisionFor(read, AMENDED_AT);

        assertThat(amended.number()).isEqualTo(2);
        assertThat(amended.predecessor()).isEqualTo(first.srSopInstanceUid());
        assertThat(amended.srSopInstanceUid()).isNotEqualTo(first.srSopInstanceUid());
        assertThat(amended.segSopInstanceUid()).isNotEqualTo(first.segSopInstanceUid());
        assertThat(ledger.revisionFor(read, SIGNED_AT)).as("the first sign-off again").isEqualTo(first);
        assertThat(ledger.revisions(read)).containsExactly(first, amended);
        assertThat(ledger.revisions(newRead())).isEmpty();
    }

    @Test
    void signOffTimesMatchToTheMicrosecond() {
        String read = newRead();
        Instant withNanos = SIGNED_AT.plusNanos(789);

        Revision first = ledger.revisionFor(read, withNanos);

        assertThat(ledger.revisionFor(read, withNanos)).isEqualTo(first);
        assertThat(ledger.revisionFor(read, SIGNED_AT)).isEqualTo(first);
        assertThat(ledger.revisionFor(read, SIGNED_AT.plusNanos(1000)).number()).as("a microsecond later").isEqualTo(2);
    }

    @Test
    void concurrentPublicationsOfOneSignOffRecordOneRevision() throws Exception {
        String read = newRead();

        List<Revision> revisions = concurrently(8, i -> ledger.revisionFor(read, SIGNED_AT));

        assertThat(revisions).allSatisfy(r -> assertThat(r).isEqualTo(revisions.get(0)));
        assertThat(revisions.get(0).number()).isEqualTo(1);
        assertThat(rows(read)).isEqualTo(1);
    }

    @Test
    void concurrentSignOffsOfOneReadGetOneNumberEach() throws Exception {
        String read = newRead();

        List<Revision> revisions = concurrently(4, i -> ledger.revisionFor(read, SIGNED_AT.plusSeconds(i)));

        assertThat(revisions).extracting(Revision::number).containsExactlyInAnyOrder(1, 2, 3, 4);
        List<Revision> recorded = ledger.revisions(read);
        for (int n = 1; n < recorded.size(); n++) {
            assertThat(recorded.get(n).predecessor()).isEqualTo(recorded.get(n - 1).srSopInstanceUid());
        }
    }

    @Test
    void aReadIdMustBeALowerCaseUuid() {
        assertThatThrownBy(() -> ledger.revisionFor("../read", SIGNED_AT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("read id must be a lower-case UUID, got: ../read");
    }

    interface Call {
        Revision call(int index) throws Exception;
    }

    private static List<Revision> concurrently(int callers, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Callable<Revision>> calls = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                int index = i;
                calls.add(() -> call.call(index));
            }
            List<Revision> revisions = new ArrayList<>();
            for (Future<Revision> future : pool.invokeAll(calls)) {
                revisions.add(future.get());
            }
            return revisions;
        } finally {
            pool.shutdownNow();
        }
    }
}
