package org.groundflow.workflow;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.client.SeriesRecord;
import org.groundflow.dicomweb.seg.SegmentationReader;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.inference.Interpreter;
import org.groundflow.review.SignOff;
import org.groundflow.workflow.audit.SignOffAudit;
import org.groundflow.workflow.read.Draft;
import org.groundflow.workflow.read.DraftFixtures;
import org.groundflow.workflow.read.ReadStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * Two radiologists sign the same review task at the same moment, one accepting every finding, one rejecting every
 * finding, over real HTTP requests, {@value #ROUNDS} times: each time exactly one gets 200 and the other 409; the
 * read store, the audit trail and the task's history hold the winner's sign-off alone, and what reaches the PACS
 * (SEG and SR, or nothing when all were rejected) and the EHR (the FHIR transaction) is the winner's. The reads are
 * put at review directly ({@link ReadsAtReview}), so the rounds race the sign-off, not the model.
 */
class SignOffRaceTest extends ApplicationTest {

    static final int ROUNDS = 50;
    static final String SECOND_RADIOLOGIST = "rad2";

    private static final Logger log = LoggerFactory.getLogger(SignOffRaceTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    RuntimeService runtime;
    @Autowired
    TaskService tasks;
    @Autowired
    HistoryService history;
    @Autowired
    ReadStore store;
    @Autowired
    SignOffAudit audit;
    @Autowired
    DicomWebClient pacs;
    @Autowired
    Interpreter interpreter;

    @TempDir
    Path dir;

    private record Round(ReadsAtReview.Read read, String winner, boolean accepted) {
    }

    @Test
    void ofTwoSignOffsOfOneTaskAtTheSameMomentOneWinsAndOnlyItIsPublished() throws Exception {
        identity.ensureUser(SECOND_RADIOLOGIST, PASSWORD, List.of("radiologists"));
        Draft base = DraftFixtures.of(SyntheticStudy.builder().variant("sign-off-race").build(), interpreter.card(),
                dir.resolve("source"));
        ReadsAtReview reads = new ReadsAtReview(runtime, tasks, store);
        long start = System.nanoTime();
        List<Round> rounds = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < ROUNDS; i++) {
                rounds.add(race(reads.of(ReadsAtReview.elsewhere(base), RADIOLOGIST), i, threads));
            }
        } finally {
            threads.shutdownNow();
        }
        long raced = System.nanoTime();
        Set<String> instances = rounds.stream().map(r -> r.read().processInstanceId()).collect(Collectors.toSet());
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(runtime.createIncidentQuery().list()).as("incidents").isEmpty();
            assertThat(history.createHistoricProcessInstanceQuery().processInstanceIds(instances).finished().count())
                    .as("reads published").isEqualTo(ROUNDS);
        });
        List<JsonNode> bundles = bundles();
        for (Round round : rounds) {
            List<JsonNode> sent = bundles.stream().filter(b -> b.toString().contains(round.read().readId())).toList();
            assertThat(sent).as("FHIR transactions of read %s", round.read().readId()).hasSize(1);
            assertPublishedAsSigned(round, sent.get(0));
        }
        long accepted = rounds.stream().filter(Round::accepted).count();
        log.info("{} sign-off races in {} ms ({} won by accept-all, {} by reject-all); all published and checked {} ms"
                        + " later", ROUNDS, (raced - start) / 1_000_000, accepted, ROUNDS - accepted,
                (System.nanoTime() - raced) / 1_000_000);
    }

    /** Both sign-offs at once; exactly one 200 and one 409, and only the winner's sign-off anywhere. */
    private Round race(ReadsAtReview.Read read, int round, ExecutorService threads) throws Exception {
        CountDownLatch together = new CountDownLatch(1);
        Future<ResponseEntity<JsonNode>> accept = threads.submit(signing(together, read, RADIOLOGIST, "accept",
                "Accepted in round " + round));
        Future<ResponseEntity<JsonNode>> reject = threads.submit(signing(together, read, SECOND_RADIOLOGIST, "reject",
                "Rejected in round " + round));
        together.countDown();
        ResponseEntity<JsonNode> accepting = accept.get(60, TimeUnit.SECONDS);
        ResponseEntity<JsonNode> rejecting = reject.get(60, TimeUnit.SECONDS);

        List<HttpStatus> statuses = List.of(HttpStatus.valueOf(accepting.getStatusCode().value()),
                HttpStatus.valueOf(rejecting.getStatusCode().value()));
        assertThat(statuses).as("round %s: %s / %s", round, accepting.getBody(), rejecting.getBody())
                .containsExactlyInAnyOrder(HttpStatus.OK, HttpStatus.CONFLICT);
        boolean accepted = accepting.getStatusCode() == HttpStatus.OK;
        String winner = accepted ? RADIOLOGIST : SECOND_RADIOLOGIST;
        ResponseEntity<JsonNode> loser = accepted ? rejecting : accepting;
        assertThat(loser.getBody().path("message").asText()).as("round %s", round).contains(read.taskId());

        SignOff stored = store.signOff(read.readId()).orElseThrow();
        assertThat(stored.reviewer()).as("round %s", round).isEqualTo(winner);
        assertThat(stored.impression()).isEqualTo((accepted ? "Accepted" : "Rejected") + " in round " + round);
        assertThat(stored.kept()).hasSize(accepted ? read.draft().interpretation().findings().size() : 0);
        assertThat(audit.forStudy(read.study().value())).as("round %s: audit", round).singleElement()
                .satisfies(record -> assertThat(record.reviewer()).isEqualTo(winner));
        List<HistoricTaskInstance> signed = history.createHistoricTaskInstanceQuery()
                .processInstanceId(read.processInstanceId()).finished().list();
        assertThat(signed).as("round %s: tasks completed", round).singleElement()
                .satisfies(task -> assertThat(task.getAssignee()).isEqualTo(winner));
        return new Round(read, winner, accepted);
    }

    private Callable<ResponseEntity<JsonNode>> signing(CountDownLatch together, ReadsAtReview.Read read, String user,
                                                       String decision, String impression) {
        List<Map<String, Object>> decisions = read.draft().interpretation().findings().stream()
                .map(f -> Map.<String, Object>of("finding", f.number(), "decision", decision)).toList();
        return () -> {
            together.await();
            return as(user).postForEntity("/api/reviews/" + read.taskId(),
                    Map.of("decisions", decisions, "impression", impression), JsonNode.class);
        };
    }

    /** The PACS holds the winner's SEG and SR (nothing for a rejection); the EHR got the winner's report. */
    private void assertPublishedAsSigned(Round round, JsonNode bundle) throws IOException {
        String readId = round.read().readId();
        JsonNode report = StreamSupport.stream(bundle.path("entry").spliterator(), false).map(e -> e.path("resource"))
                .filter(r -> "DiagnosticReport".equals(r.path("resourceType").asText())).findFirst().orElseThrow();
        SignOff signed = store.signOff(readId).orElseThrow();
        assertThat(report.path("conclusion").asText()).as("read %s", readId).isEqualTo(signed.impression());
        assertThat(report.path("result")).as("read %s", readId).hasSize(signed.kept().size());
        Map<String, SeriesRecord> series = new HashMap<>();
        pacs.searchSeries(round.read().study()).forEach(s -> series.put(s.modality(), s));
        if (!round.accepted()) {
            assertThat(series).as("read %s rejected everything: nothing in the PACS", readId).isEmpty();
            return;
        }
        assertThat(series).as("read %s", readId).containsOnlyKeys("SEG", "SR");
        List<Path> seg = pacs.retrieveSeries(round.read().study(), series.get("SEG").seriesInstanceUid(),
                dir.resolve(readId));
        assertThat(seg).hasSize(1);
        assertThat(SegmentationReader.read(Files.readAllBytes(seg.get(0))).segments()).as("read %s", readId)
                .hasSize(signed.kept().size());
    }

    private static List<JsonNode> bundles() {
        List<JsonNode> bundles = new ArrayList<>();
        for (var request : TestServers.fhir().findAll(postRequestedFor(urlEqualTo(TestServers.FHIR_PATH)))) {
            try {
                bundles.add(JSON.readTree(request.getBodyAsString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bundles;
    }
}
