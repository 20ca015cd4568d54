package org.groundflow.workflow.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.groundflow.dicomweb.Uid;
import org.groundflow.workflow.ApplicationTest;
import org.groundflow.workflow.intake.IntakeLedger.Entry;
import org.groundflow.workflow.intake.IntakeLedger.Outcome;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The ledger's rules, on the application's own database: record once, claim once, whoever asks. */
class IntakeLedgerTest extends ApplicationTest {

    private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");

    @Autowired
    IntakeLedger ledger;
    @Autowired
    PlatformTransactionManager transactions;

    private static Uid newStudy() {
        return Uid.of("2.25." + new BigInteger(UUID.randomUUID().toString().replace("-", ""), 16));
    }

    @Test
    void aStudyIsRecordedOnce() {
        Uid study = newStudy();

        assertThat(ledger.record(study, 10, T0)).isTrue();
        assertThat(ledger.record(study, 12, T0.plusSeconds(1))).as("second record").isFalse();

        Entry entry = ledger.find(study).orElseThrow();
        assertThat(entry.instanceCount()).isEqualTo(10);
        assertThat(entry.firstSeen()).isEqualTo(T0);
        assertThat(entry.lastChange()).isEqualTo(T0);
        assertThat(entry.claimed()).isFalse();
    }

    @Test
    void aNewCountRestartsTheQuietTime() {
        Uid study = newStudy();
        ledger.record(study, 10, T0);

        assertThat(ledger.countChanged(study, 10, T0.plusSeconds(5))).as("same count").isFalse();
        assertThat(ledger.countChanged(study, 11, T0.plusSeconds(5))).isTrue();

        Entry entry = ledger.find(study).orElseThrow();
        assertThat(entry.instanceCount()).isEqualTo(11);
        assertThat(entry.lastChange()).isEqualTo(T0.plusSeconds(5));
        assertThat(entry.firstSeen()).isEqualTo(T0);
    }

    @Test
    void onlyAStableUnclaimedStudyCanBeClaimedAndOnlyOnce() {
        Uid study = newStudy();
        ledger.record(study, 10, T0);
        Instant now = T0.plusSeconds(60);

        assertThat(ledger.claim(study, 10, T0.minusSeconds(1), now)).as("changed after stableSince").isFalse();
        assertThat(ledger.claim(study, 9, T0, now)).as("other count").isFalse();
        assertThat(ledger.claim(study, 10, T0, now)).isTrue();
        assertThat(ledger.claim(study, 10, T0, now)).as("second claim").isFalse();
        assertThat(ledger.countChanged(study, 11, now)).as("a claimed study's count stays").isFalse();

        ledger.settle(study, "read-1", Outcome.STARTED);
        Entry entry = ledger.find(study).orElseThrow();
        assertThat(entry.startedAt()).contains(now);
        assertThat(entry.readId()).contains("read-1");
        assertThat(entry.outcome()).contains(Outcome.STARTED);
    }

    @Test
    void aReleasedClaimCanBeMadeAgain() {
        Uid study = newStudy();
        ledger.record(study, 10, T0);
        assertThat(ledger.claim(study, 10, T0, T0.plusSeconds(1))).isTrue();

        ledger.release(study);

        assertThat(ledger.find(study).orElseThrow().claimed()).isFalse();
        assertThat(ledger.claim(study, 10, T0, T0.plusSeconds(2))).isTrue();
    }

    @Test
    void ofTwoConcurrentClaimsOneWins() throws Exception {
        Uid study = newStudy();
        ledger.record(study, 10, T0);
        Instant now = T0.plus(1, ChronoUnit.MINUTES);
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        CountDownLatch firstClaimed = new CountDownLatch(1);

        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> transaction.execute(status -> {
            boolean won = ledger.claim(study, 10, T0, now);
            firstClaimed.countDown();
            sleep(Duration.ofMillis(300)); // the other node's claim must wait for this transaction
            return won;
        }));
        assertThat(firstClaimed.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> transaction.execute(status ->
                ledger.claim(study, 10, T0, now)));

        assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(second.get(10, TimeUnit.SECONDS)).isFalse();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
