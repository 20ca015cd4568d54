package org.groundflow.workflow.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.testing.OrthancServer;
import org.groundflow.workflow.ApplicationTest;
import org.groundflow.workflow.TestServers;
import org.groundflow.workflow.intake.IntakeLedger.Entry;
import org.groundflow.workflow.intake.IntakeLedger.Outcome;
import org.groundflow.workflow.read.ReadStarts;
import org.groundflow.workflow.read.ReadVariables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Intake passes against a real Orthanc, with a clock the test moves. The intake searches a PACS of its own (cleared
 * before each test, so a pass sees only that test's studies); the studies are also stored in the application's PACS,
 * where the read service looks them up and the reads it starts retrieve them.
 */
class StudyIntakeTest extends ApplicationTest {

    private static final Duration QUIET = Duration.ofSeconds(1);
    private static final IntakeFilter CT = IntakeFilter.of("CT", QUIET);
    /** With a series-level criterion, checked again before the read starts. */
    private static final IntakeFilter CT_CHEST = CT.withBodyPart("CHEST");

    @RegisterExtension
    static OrthancServer searched = new OrthancServer();
    private static DicomWebClient searchedPacs;
    private static DicomWebClient applicationPacs;

    @Autowired
    IntakeLedger ledger;
    @Autowired
    ReadStarts reads;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    RuntimeService runtime;
    @Autowired
    HistoryService history;
    @Autowired
    RepositoryService repository;
    @Autowired
    ManagementService management;

    @TempDir
    Path files;

    private final TestClock clock = new TestClock(Instant.parse("2026-03-02T08:00:00Z"));
    private final List<Uid> studies = new ArrayList<>();
    private StudyIntake intake;

    @BeforeAll
    static void clients() {
        searchedPacs = new DicomWebClient(searched.endpoint());
        applicationPacs = new DicomWebClient(TestServers.orthanc().endpoint());
    }

    @AfterAll
    static void closeClients() {
        searchedPacs.close();
        applicationPacs.close();
    }

    @BeforeEach
    void intake() {
        searched.clear();
        intake = new StudyIntake(searchedPacs, ledger, reads, transactions, clock);
    }

    @AfterEach
    void cancelReads() {
        for (Uid study : studies) {
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
                for (ProcessInstance read : runtime.createProcessInstanceQuery().processDefinitionKey(ReadVariables.PROCESS_KEY)
                        .processInstanceBusinessKey(study.value()).list()) {
                    runtime.deleteProcessInstance(read.getId(), "intake test done", true, true);
                }
                return true;
            });
        }
    }

    /** A new study of {@code slices} CT slices, all stored in the application's PACS, the first {@code stored} also in the searched one. */
    private SyntheticStudy study(String name, int slices, int stored) {
        SyntheticStudy study = SyntheticStudy.builder().variant("intake-" + name + "-" + UUID.randomUUID())
                .slices(slices).size(32).withoutLesions().build();
        List<Path> written = study.writeTo(files.resolve(name));
        applicationPacs.store(written).requireAllStored();
        searchedPacs.store(written.subList(0, stored)).requireAllStored();
        studies.add(study.studyInstanceUid());
        return study;
    }

    private long readsOf(Uid study) {
        return history.createHistoricProcessInstanceQuery().processDefinitionKey(ReadVariables.PROCESS_KEY)
                .processInstanceBusinessKey(study.value()).count();
    }

    @Test
    void aStudyIsReadOnceAfterItsInstanceCountHasBeenStableForTheQuietTime() {
        Uid study = study("stable", 3, 3).studyInstanceUid();

        StudyIntake.Pass first = intake.pass(CT_CHEST);
        assertThat(first.candidateCount()).isEqualTo(1);
        assertThat(first.started()).isEmpty();
        Entry seen = ledger.find(study).orElseThrow();
        assertThat(seen.instanceCount()).isEqualTo(3);
        assertThat(seen.claimed()).isFalse();

        clock.advance(Duration.ofMillis(500));
        assertThat(intake.pass(CT_CHEST).started()).as("quiet for 0.5 s").isEmpty();

        clock.advance(Duration.ofMillis(500));
        assertThat(intake.pass(CT_CHEST).started()).as("quiet for 1 s").containsExactly(study);
        Entry started = ledger.find(study).orElseThrow();
        assertThat(started.outcome()).contains(Outcome.STARTED);
        assertThat(started.readId()).isPresent();
        ProcessInstance read = runtime.createProcessInstanceQuery().processDefinitionKey(ReadVariables.PROCESS_KEY)
                .processInstanceBusinessKey(study.value()).singleResult();
        assertThat(read).isNotNull();
        assertThat(history.createHistoricVariableInstanceQuery().processInstanceId(read.getId())
                .variableName(ReadVariables.READ_ID).singleResult().getValue()).isEqualTo(started.readId().get());
        assertThat(history.createHistoricVariableInstanceQuery().processInstanceId(read.getId())
                .variableName(ReadVariables.REQUESTED_BY).singleResult().getValue()).isEqualTo(IntakeVariables.REQUESTED_BY);

        clock.advance(Duration.ofMinutes(5));
        assertThat(intake.pass(CT_CHEST).started()).as("a later pass").isEmpty();
        assertThat(readsOf(study)).isEqualTo(1);
    }

    @Test
    void aStudyThatDoesNotMatchTheFilterIsNeverRead() {
        Uid study = study("other", 2, 2).studyInstanceUid();
        List<IntakeFilter> others = List.of(
                IntakeFilter.of("MR", QUIET),
                CT.withStation("CT-ROOM-9"),
                CT.withBodyPart("HEAD"),
                CT.withLookBack(java.time.Period.ofDays(30)));

        for (int pass = 0; pass < 3; pass++) {
            for (IntakeFilter filter : others) {
                StudyIntake.Pass result = intake.pass(filter);
                assertThat(result.candidateCount()).as("%s", filter).isZero();
                assertThat(result.started()).isEmpty();
            }
            clock.advance(Duration.ofSeconds(2));
        }

        assertThat(ledger.find(study)).isEmpty();
        assertThat(readsOf(study)).isZero();
        assertThat(intake.pass(CT.withBodyPart("CHEST")).candidateCount()).as("the same study, matching").isEqualTo(1);
    }

    @Test
    void aNewInstanceRestartsTheQuietTime() {
        SyntheticStudy growing = study("growing", 3, 2);
        Uid study = growing.studyInstanceUid();
        intake.pass(CT);
        assertThat(ledger.find(study).orElseThrow().instanceCount()).isEqualTo(2);

        clock.advance(Duration.ofMillis(900));
        searchedPacs.store(List.of(files.resolve("growing").resolve("slice-003.dcm"))).requireAllStored();
        clock.advance(Duration.ofMillis(200));
        assertThat(intake.pass(CT).started()).as("count changed").isEmpty();
        Entry changed = ledger.find(study).orElseThrow();
        assertThat(changed.instanceCount()).isEqualTo(3);
        assertThat(changed.lastChange()).isEqualTo(clock.instant());

        clock.advance(Duration.ofMillis(900));
        assertThat(intake.pass(CT).started()).as("quiet for 0.9 s since the change").isEmpty();
        clock.advance(Duration.ofMillis(100));
        assertThat(intake.pass(CT).started()).containsExactly(study);
    }

    @Test
    void aStudyWhoseReadIsAlreadyRunningGetsNoSecondRead() {
        Uid study = study("running", 2, 2).studyInstanceUid();
        assertThat(reads.start(study.value(), RADIOLOGIST)).isInstanceOf(ReadStarts.Started.class);
        intake.pass(CT);
        clock.advance(QUIET);

        assertThat(intake.pass(CT).started()).isEmpty();

        assertThat(ledger.find(study).orElseThrow().outcome()).contains(Outcome.ALREADY_RUNNING);
        assertThat(readsOf(study)).isEqualTo(1);
        clock.advance(Duration.ofMinutes(5));
        assertThat(intake.pass(CT).started()).as("a later pass").isEmpty();
    }

    @Test
    void twoNodesPassingAtOnceStartOneRead() throws Exception {
        Uid study = study("nodes", 2, 2).studyInstanceUid();
        StudyIntake otherNode;
        try (DicomWebClient otherClient = new DicomWebClient(searched.endpoint())) {
            otherNode = new StudyIntake(otherClient, ledger, reads, transactions, clock);
            intake.pass(CT);
            clock.advance(QUIET);

            CompletableFuture<StudyIntake.Pass> one = CompletableFuture.supplyAsync(() -> intake.pass(CT));
            CompletableFuture<StudyIntake.Pass> two = CompletableFuture.supplyAsync(() -> otherNode.pass(CT));

            List<Uid> started = new ArrayList<>(one.get(30, TimeUnit.SECONDS).started());
            started.addAll(two.get(30, TimeUnit.SECONDS).started());
            assertThat(started).containsExactly(study);
        }
        assertThat(readsOf(study)).isEqualTo(1);
    }

    @Test
    void theIntakeIsOffUnlessEnabled() {
        assertThat(repository.createProcessDefinitionQuery().processDefinitionKey(IntakeVariables.PROCESS_KEY)
                .latestVersion().singleResult().isSuspended()).isTrue();
        assertThat(management.createJobQuery().processDefinitionKey(IntakeVariables.PROCESS_KEY).timers().list())
                .isNotEmpty().allMatch(job -> job.isSuspended());
    }
}
