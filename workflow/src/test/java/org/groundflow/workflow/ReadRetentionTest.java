package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.inference.Interpreter;
import org.groundflow.workflow.audit.SignOffAudit;
import org.groundflow.workflow.config.GroundflowProperties;
import org.groundflow.workflow.read.Draft;
import org.groundflow.workflow.read.DraftFixtures;
import org.groundflow.workflow.read.ReadImages;
import org.groundflow.workflow.read.ReadRetention;
import org.groundflow.workflow.read.ReadSeries;
import org.groundflow.workflow.read.ReadStore;
import org.groundflow.workflow.read.RevisionLedger;
import org.groundflow.workflow.read.SeriesCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What Groundflow keeps of a read's pixels and masks goes when the retention period after the read's end is over
 * (here PT1S, swept every second): the draft's masks and geometry, the node's cached series and the review UI's
 * decoded images. The findings, the sign-off, its audit trail and the revision ledger stay.
 */
class ReadRetentionTest extends ApplicationTest {

    @Autowired
    RuntimeService runtime;
    @Autowired
    TaskService tasks;
    @Autowired
    HistoryService history;
    @Autowired
    ReadStore store;
    @Autowired
    SeriesCache cache;
    @Autowired
    ReadImages images;
    @Autowired
    SignOffAudit audit;
    @Autowired
    RevisionLedger ledger;
    @Autowired
    DicomWebClient pacs;
    @Autowired
    Interpreter interpreter;
    @Autowired
    GroundflowProperties properties;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theDefaultRetentionIsSevenDaysSweptHourly() {
        assertThat(properties.retention().afterEnd()).isEqualTo(Duration.ofDays(7));
        assertThat(properties.retention().sweepEvery()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void afterTheRetentionPeriodPixelsAndMasksAreGoneAndTheRecordsStay(@TempDir Path dir) {
        SyntheticStudy study = SyntheticStudy.builder().variant("retention-" + UUID.randomUUID()).build();
        pacs.store(study.writeTo(dir.resolve("stored"))).requireAllStored();
        Draft draft = DraftFixtures.of(study, interpreter.card(), dir.resolve("source"));
        ReadsAtReview.Read read = new ReadsAtReview(runtime, tasks, store).of(draft, RADIOLOGIST);
        String readId = read.readId();
        String volume = "/api/reads/" + readId + "/volume";
        assertThat(as(ADMIN).getForEntity(volume, JsonNode.class).getStatusCode()).as("images under review")
                .isEqualTo(HttpStatus.OK);
        assertThat(cache.cachedReads()).as("the review UI's node cached the series").contains(readId);

        List<Map<String, Object>> decisions = draft.interpretation().findings().stream()
                .map(f -> Map.<String, Object>of("finding", f.number(), "decision", "accept")).toList();
        assertThat(as(RADIOLOGIST).postForEntity("/api/reviews/" + read.taskId(),
                Map.of("decisions", decisions, "impression", "Kept."), JsonNode.class).getStatusCode())
                .isEqualTo(HttpStatus.OK);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).until(() -> history
                .createHistoricProcessInstanceQuery().processInstanceId(read.processInstanceId()).finished().count() == 1);
        assertThat(store.masks(readId)).as("masks right after the end").isPresent();

        ReadRetention retention = new ReadRetention(store, cache, images,
                new GroundflowProperties.Retention(Duration.ofSeconds(1), Duration.ofSeconds(1)), Clock.systemUTC());
        retention.start();
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                assertThat(store.masks(readId)).as("masks").isEmpty();
                assertThat(cache.cachedReads()).as("cached series").doesNotContain(readId);
            });
        } finally {
            retention.stop();
        }

        assertThat(store.volume(readId)).as("geometry and patient attributes").isEmpty();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM GF_READ WHERE READ_ID = ? AND PURGED_AT IS NOT NULL",
                Integer.class, readId)).isEqualTo(1);
        assertThat(store.interpretation(readId)).as("the draft's findings").isPresent();
        assertThat(store.signOff(readId).orElseThrow().impression()).isEqualTo("Kept.");
        assertThat(audit.forStudy(read.study().value())).singleElement()
                .satisfies(record -> assertThat(record.reviewer()).isEqualTo(RADIOLOGIST));
        assertThat(ledger.revisions(readId)).as("the revision ledger").hasSize(1);
        ResponseEntity<JsonNode> gone = as(ADMIN).getForEntity(volume, JsonNode.class);
        assertThat(gone.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(gone.getBody().path("message").asText()).contains(readId).contains("retention");
        assertThat(cache.cachedReads()).as("nothing retrieved again for the refused images").doesNotContain(readId);
    }
}
