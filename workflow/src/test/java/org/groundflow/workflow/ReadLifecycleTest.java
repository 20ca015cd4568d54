package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.camunda.bpm.engine.HistoryService;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.seg.SegmentAlgorithmType;
import org.groundflow.dicomweb.seg.SegmentCodes;
import org.groundflow.dicomweb.seg.SegmentDescription;
import org.groundflow.dicomweb.seg.Segmentation;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.testing.SphereSeries;
import org.groundflow.dicomweb.volume.ImageVolumeReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The paths besides the demo's: a study without findings, a study with nothing to read, a cancelled read; and what
 * operators see meanwhile.
 */
class ReadLifecycleTest extends ApplicationTest {

    @Autowired
    DicomWebClient pacs;
    @Autowired
    HistoryService history;
    @Autowired
    JdbcTemplate jdbc;

    private String startRead(String variant, Path dir) {
        SyntheticStudy study = SyntheticStudy.builder().variant(variant).slices(24).withoutLesions().build();
        pacs.store(study.writeTo(dir)).requireAllStored();
        ResponseEntity<JsonNode> started = as(RADIOLOGIST).postForEntity("/api/reads",
                Map.of("studyInstanceUid", study.studyInstanceUid().value()), JsonNode.class);
        assertThat(started.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        return started.getBody().path("readId").asText();
    }

    private JsonNode awaitState(String readId, String state) {
        JsonNode[] read = new JsonNode[1];
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            read[0] = as(RADIOLOGIST).getForObject("/api/reads/" + readId, JsonNode.class);
            assertThat(read[0].path("incidents")).as("incidents: %s", read[0]).isEmpty();
            assertThat(read[0].path("state").asText()).isEqualTo(state);
        });
        return read[0];
    }

    @Test
    void aStudyWithoutFindingIsConfirmedSignedAndReportedWithoutSeg(@TempDir Path dir) {
        String readId = startRead("no-finding", dir);
        JsonNode waiting = awaitState(readId, "AWAITING_REVIEW");
        assertThat(waiting.path("findings")).isEmpty();
        assertThat(waiting.path("currentSteps").toString()).contains("ConfirmNoFinding");

        JsonNode task = StreamSupport.stream(as(RADIOLOGIST).getForObject("/api/reviews", JsonNode.class).spliterator(), false)
                .filter(t -> readId.equals(t.path("readId").asText())).findFirst().orElseThrow();
        assertThat(task.path("kind").asText()).isEqualTo("ConfirmNoFinding");
        assertThat(task.path("due").asText()).isNotBlank();
        ResponseEntity<JsonNode> signed = as(RADIOLOGIST).postForEntity("/api/reviews/" + task.path("taskId").asText(),
                Map.of("decisions", List.of(), "impression", "No nodule or cyst."), JsonNode.class);
        assertThat(signed.getStatusCode()).isEqualTo(HttpStatus.OK);

        JsonNode done = awaitState(readId, "COMPLETED");
        assertThat(done.path("segSopInstanceUid").isMissingNode() || done.path("segSopInstanceUid").isNull()).isTrue();
        assertThat(done.path("diagnosticReportId").asText()).isNotBlank();

        JsonNode audit = as(RADIOLOGIST).getForObject("/api/studies/" + done.path("studyInstanceUid").asText() + "/audit",
                JsonNode.class);
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0).path("reviewer").asText()).isEqualTo(RADIOLOGIST);
        JsonNode impression = audit.get(0).path("changes").get(0);
        assertThat(impression.path("item").asText()).isEqualTo("impression");
        assertThat(impression.path("decision").asText()).isEqualTo("edit");
        assertThat(impression.path("signedText").asText()).isEqualTo("No nodule or cyst.");

        String metrics = as(ADMIN).getForObject("/actuator/prometheus", String.class);
        assertThat(metrics).containsPattern("groundflow_step_duration_seconds_count\\{.*step=\"RetrieveStudy\".*} [1-9]");
        assertThat(metrics).containsPattern("groundflow_step_duration_seconds_count\\{.*step=\"ConfirmNoFinding\".*} [1-9]");
        assertThat(metrics).containsPattern("groundflow_model_latency_seconds_count(\\{.*})? [1-9]");
        assertThat(metrics).contains("groundflow_reads_active{").contains("groundflow_incidents_open");
    }

    @Test
    void aStudyOutsideTheModelsDomainEndsWithThatOutcomeNamingTheSeriesAndTheRule(@TempDir Path dir) {
        SphereSeries thick = SphereSeries.axial().withGrid(32, 32, 12, 4, 4, 7, 7).withSeed(System.nanoTime());
        pacs.store(thick.writeTo(dir)).requireAllStored();

        ResponseEntity<JsonNode> started = as(RADIOLOGIST).postForEntity("/api/reads",
                Map.of("studyInstanceUid", thick.studyInstanceUid()), JsonNode.class);
        assertThat(started.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        String readId = started.getBody().path("readId").asText();

        JsonNode ended = awaitState(readId, "NOTHING_TO_READ");
        assertThat(ended.path("outcome").path("code").asText()).isEqualTo("OUTSIDE_MODEL_DOMAIN");
        assertThat(ended.path("outcome").path("message").asText()).contains("study " + thick.studyInstanceUid())
                .contains("series " + thick.seriesInstanceUid() + ": slice thickness 7 mm is outside this model's 0.625–5 mm");
        assertThat(ended.path("findings")).isEmpty();
        assertEndedUnreadWithoutIncident(started.getBody().path("processInstanceId").asText());
    }

    @Test
    void aStudyWithOnlyASegEndsWithNothingToReadWithoutIncident(@TempDir Path dir) {
        SyntheticStudy source = SyntheticStudy.builder().variant("seg-only-" + UUID.randomUUID()).slices(8).size(32)
                .withoutLesions().build();
        ImageVolume volume = ImageVolumeReader.read(source.writeTo(dir.resolve("ct")));
        BitSet mask = new BitSet();
        mask.set(0, 40);
        Segmentation seg = Segmentation.builder(volume).seriesInstanceUid(randomUid()).sopInstanceUid(randomUid())
                .seriesNumber(300).algorithm("test", "1", "Groundflow tests")
                .segment(new SegmentDescription(1, "Nodule", SegmentCodes.MORPHOLOGICALLY_ABNORMAL_STRUCTURE,
                        SegmentCodes.NODULE, SegmentAlgorithmType.AUTOMATIC, null), mask)
                .build();
        pacs.store(List.of(seg.write(dir.resolve("seg.dcm")))).requireAllStored();
        String study = source.studyInstanceUid().value();

        ResponseEntity<JsonNode> started = as(RADIOLOGIST).postForEntity("/api/reads",
                Map.of("studyInstanceUid", study), JsonNode.class);
        assertThat(started.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        String readId = started.getBody().path("readId").asText();

        JsonNode ended = awaitState(readId, "NOTHING_TO_READ");
        assertThat(ended.path("outcome").path("code").asText()).isEqualTo("NO_READABLE_SERIES");
        assertThat(ended.path("outcome").path("message").asText()).contains("study " + study).contains("[CT]")
                .contains("SEG " + seg.seriesInstanceUid().value());
        assertThat(ended.path("findings")).isEmpty();
        assertEndedUnreadWithoutIncident(started.getBody().path("processInstanceId").asText());
    }

    /** The read ended at "Nothing to read", without interpretation or incident. */
    private void assertEndedUnreadWithoutIncident(String processInstanceId) {
        assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(processInstanceId)
                .activityId("NothingToRead").finished().count()).as("ended at NothingToRead").isEqualTo(1);
        assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(processInstanceId)
                .activityId("Interpret").count()).as("interpretation").isZero();
        assertThat(history.createHistoricIncidentQuery().processInstanceId(processInstanceId).count())
                .as("incidents, open or resolved").isZero();
    }

    private static Uid randomUid() {
        return Uid.of("2.25." + new BigInteger(UUID.randomUUID().toString().replace("-", ""), 16));
    }

    @Test
    void aReadIsCancelledByItsRequesterNotByOthers(@TempDir Path dir) {
        String readId = startRead("cancelled", dir);
        awaitState(readId, "AWAITING_REVIEW");

        ResponseEntity<JsonNode> foreign = as(OTHER_RADIOLOGIST).exchange("/api/reads/" + readId, HttpMethod.DELETE,
                new HttpEntity<>(Map.of("reason", "not mine")), JsonNode.class);
        assertThat(foreign.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);

        ResponseEntity<JsonNode> cancelled = as(RADIOLOGIST).exchange("/api/reads/" + readId, HttpMethod.DELETE,
                new HttpEntity<>(Map.of("reason", "wrong study")), JsonNode.class);
        assertThat(cancelled.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(cancelled.getBody().path("state").asText()).isEqualTo("CANCELLED");
        assertThat(as(RADIOLOGIST).getForObject("/api/reviews", JsonNode.class).toString()).doesNotContain(readId);

        ResponseEntity<JsonNode> again = as(RADIOLOGIST).exchange("/api/reads/" + readId, HttpMethod.DELETE,
                HttpEntity.EMPTY, JsonNode.class);
        assertThat(again.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);

        assertThat(jdbc.queryForObject("SELECT OUTCOME FROM GF_READ WHERE READ_ID = ?", String.class, readId))
                .isEqualTo("CANCELLED");
        String study = cancelled.getBody().path("studyInstanceUid").asText();
        ResponseEntity<JsonNode> next = as(RADIOLOGIST).postForEntity("/api/reads", Map.of("studyInstanceUid", study),
                JsonNode.class);
        assertThat(next.getStatusCode()).as("the cancelled read freed its study: %s", next.getBody())
                .isEqualTo(HttpStatus.CREATED);
        ResponseEntity<JsonNode> third = as(RADIOLOGIST).postForEntity("/api/reads", Map.of("studyInstanceUid", study),
                JsonNode.class);
        assertThat(third.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(third.getBody().path("message").asText()).contains(next.getBody().path("readId").asText());
        as(RADIOLOGIST).exchange("/api/reads/" + next.getBody().path("readId").asText(), HttpMethod.DELETE,
                new HttpEntity<>(Map.of("reason", "test over")), JsonNode.class);
    }

    @Test
    void ofTwoStartsOfAStudyAtTheSameMomentOneStarts(@TempDir Path dir) throws Exception {
        SyntheticStudy study = SyntheticStudy.builder().variant("started-twice-" + UUID.randomUUID()).slices(8)
                .withoutLesions().build();
        pacs.store(study.writeTo(dir)).requireAllStored();
        CountDownLatch together = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<ResponseEntity<JsonNode>>> starts = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                starts.add(threads.submit(() -> {
                    together.await();
                    return as(RADIOLOGIST).postForEntity("/api/reads",
                            Map.of("studyInstanceUid", study.studyInstanceUid().value()), JsonNode.class);
                }));
            }
            together.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<ResponseEntity<JsonNode>> start : starts) {
                statuses.add(start.get(60, TimeUnit.SECONDS).getStatusCode().value());
            }
            assertThat(statuses).containsExactlyInAnyOrder(201, 409);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void healthReportsThePacsTheFhirServerAndTheModel() {
        JsonNode health = as(ADMIN).getForObject("/actuator/health", JsonNode.class);
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("pacs").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("fhir").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("model").path("details").path("name").asText())
                .isEqualTo("groundflow-demo-chest-ct");
        JsonNode anonymous = anonymous().getForObject("/actuator/health", JsonNode.class);
        assertThat(anonymous.path("components").isMissingNode()).isTrue();
    }
}
