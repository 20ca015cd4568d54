package org.groundflow.workflow;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.client.RejectionReason;
import org.groundflow.dicomweb.client.SeriesRecord;
import org.groundflow.dicomweb.kos.RejectionNoteReader;
import org.groundflow.dicomweb.sr.InstanceReference;
import org.groundflow.dicomweb.sr.MeasurementReportContent;
import org.groundflow.dicomweb.sr.MeasurementReportReader;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.inference.Interpreter;
import org.groundflow.workflow.audit.SignOffAudit;
import org.groundflow.workflow.read.DicomPublication;
import org.groundflow.workflow.read.Draft;
import org.groundflow.workflow.read.DraftFixtures;
import org.groundflow.publication.DicomMapper;
import org.groundflow.publication.DicomObjects;
import org.groundflow.publication.Revision;
import org.groundflow.publication.SignedRead;
import org.groundflow.review.SignOff;
import org.groundflow.workflow.config.GroundflowProperties;
import org.groundflow.workflow.read.PublicationInputs;
import org.groundflow.workflow.read.ReadRetraction;
import org.groundflow.workflow.read.Retraction;
import org.groundflow.workflow.read.Retractions;
import org.groundflow.workflow.read.RevisionLedger;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.groundflow.workflow.read.ReadStore;
import org.groundflow.workflow.read.ReportPublication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * A signed read amended and then retracted through the REST API, published to the real Orthanc and the recorded FHIR
 * endpoint: two SEG and two SR revisions (the second SR names the first), the report amended with the rejected
 * finding's Observation entered-in-error, then a rejection note withdrawing all four instances and the report entered
 * in error; every revision and the retraction in the audit, whose chain still holds. A publication of the first
 * revision retried after the amendment writes nothing.
 */
class ReadRevisionTest extends ApplicationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AMENDED_IMPRESSION = "Amended impression.";
    private static final String EDITED = "A nodule, edited in the amendment.";
    private static final String REASON = "Read on the wrong series; withdrawn.";

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
    @Autowired
    DicomPublication dicomPublication;
    @Autowired
    ReportPublication reportPublication;
    @Autowired
    ReadRetraction retraction;
    @Autowired
    RevisionLedger ledger;
    @Autowired
    PublicationInputs inputs;
    @Autowired
    GroundflowProperties properties;
    @Autowired
    Retractions retractions;
    @Autowired
    PlatformTransactionManager transactions;

    @TempDir
    Path dir;

    @Test
    void aSignedReadIsAmendedThenRetractedAndEveryRevisionStaysInTheAudit() throws Exception {
        ReadsAtReview.Read read = atReview("revisions");
        String readId = read.readId();
        Uid study = read.study();
        int count = read.draft().interpretation().findings().size();
        assertThat(count).as("findings of the draft").isGreaterThanOrEqualTo(2);

        ResponseEntity<JsonNode> early = as(RADIOLOGIST).postForEntity("/api/reads/" + readId + "/amendments", null,
                JsonNode.class);
        assertThat(early.getStatusCode()).as("amend before sign-off: %s", early.getBody()).isEqualTo(HttpStatus.CONFLICT);

        List<Map<String, Object>> acceptAll = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            acceptAll.add(Map.of("finding", n, "decision", "accept"));
        }
        sign(read.taskId(), acceptAll, "First impression.");
        awaitEnded(read.processInstanceId());
        Instant firstSignedAt = store.signOff(readId).orElseThrow().signedAt();

        // amend: a radiologist who may see the read reopens it; one amendment open at a time; others may not
        assertThat(as(OTHER_RADIOLOGIST).postForEntity("/api/reads/" + readId + "/amendments", null, JsonNode.class)
                .getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        ResponseEntity<JsonNode> opened = as(RADIOLOGIST).postForEntity("/api/reads/" + readId + "/amendments", null,
                JsonNode.class);
        assertThat(opened.getStatusCode()).as("%s", opened.getBody()).isEqualTo(HttpStatus.CREATED);
        String amendTask = opened.getBody().path("taskId").asText();
        assertThat(as(RADIOLOGIST).postForEntity("/api/reads/" + readId + "/amendments", null, JsonNode.class)
                .getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        JsonNode review = StreamSupport.stream(as(RADIOLOGIST).getForObject("/api/reviews", JsonNode.class).spliterator(),
                false).filter(t -> amendTask.equals(t.path("taskId").asText())).findFirst().orElseThrow();
        assertThat(review.path("kind").asText()).isEqualTo("AmendRead");
        assertThat(review.path("impression").asText()).as("starts from the signed read").isEqualTo("First impression.");
        assertThat(review.path("findings")).allSatisfy(f -> assertThat(f.path("decision").asText()).isEqualTo("accept"));

        List<Map<String, Object>> amended = new ArrayList<>();
        amended.add(Map.of("finding", 1, "decision", "edit", "text", EDITED));
        for (int n = 2; n < count; n++) {
            amended.add(Map.of("finding", n, "decision", "accept"));
        }
        amended.add(Map.of("finding", count, "decision", "reject"));
        sign(amendTask, amended, AMENDED_IMPRESSION);
        awaitEnded(opened.getBody().path("processInstanceId").asText());

        // the PACS: two SEG and two SR revisions, the second SR naming the first
        List<SeriesRecord> series = pacs.searchSeries(study);
        SeriesRecord segSeries = series.stream().filter(s -> "SEG".equals(s.modality())).findFirst().orElseThrow();
        SeriesRecord srSeries = series.stream().filter(s -> "SR".equals(s.modality())).findFirst().orElseThrow();
        assertThat(pacs.searchInstances(study, segSeries.seriesInstanceUid(), org.groundflow.dicomweb.client.QidoQuery.all()))
                .hasSize(2);
        List<MeasurementReportContent> reports = new ArrayList<>();
        for (Path file : pacs.retrieveSeries(study, srSeries.seriesInstanceUid(), dir.resolve("sr"))) {
            reports.add(MeasurementReportReader.read(Files.readAllBytes(file)));
        }
        assertThat(reports).hasSize(2);
        MeasurementReportContent first = reports.stream().filter(r -> r.predecessor() == null).findFirst().orElseThrow();
        MeasurementReportContent second = reports.stream().filter(r -> r.predecessor() != null).findFirst().orElseThrow();
        assertThat(second.predecessor().sopInstanceUid()).isEqualTo(first.sopInstanceUid());
        assertThat(second.groups()).hasSize(count - 1);

        // the EHR: the same report, amended; the rejected finding's Observation entered-in-error
        JsonNode amendment = lastBundle(readId);
        JsonNode report = resources(amendment, "DiagnosticReport").get(0);
        assertThat(report.path("status").asText()).isEqualTo("amended");
        assertThat(report.path("conclusion").asText()).isEqualTo(AMENDED_IMPRESSION);
        assertThat(report.path("result")).hasSize(count - 1);
        assertThat(resources(amendment, "Observation")).filteredOn(o -> o.path("identifier").get(0).path("value").asText()
                        .endsWith("/" + count)).singleElement()
                .satisfies(o -> assertThat(o.path("status").asText()).isEqualTo("entered-in-error"));
        assertThat(amendment.toString()).contains(EDITED);

        JsonNode view = as(RADIOLOGIST).getForObject("/api/reads/" + readId, JsonNode.class);
        assertThat(view.path("impression").asText()).isEqualTo(AMENDED_IMPRESSION);
        assertThat(view.path("revisions")).hasSize(2);
        assertThat(view.path("revisions").get(0).path("state").asText()).isEqualTo("SUPERSEDED");
        assertThat(view.path("revisions").get(0).path("srSopInstanceUid").asText()).isEqualTo(first.sopInstanceUid().value());
        assertThat(view.path("revisions").get(1).path("state").asText()).isEqualTo("CURRENT");
        assertThat(view.path("revisions").get(1).path("number").asInt()).isEqualTo(2);
        assertThat(view.path("revisions").get(1).path("srSopInstanceUid").asText())
                .isEqualTo(second.sopInstanceUid().value());
        assertThat(view.path("retraction").isMissingNode() || view.path("retraction").isNull()).isTrue();

        // the version guard: the first revision's publication, retried now, writes nothing
        int fhirPosts = TestServers.fhir().findAll(postRequestedFor(urlEqualTo(TestServers.FHIR_PATH))).size();
        assertThat(dicomPublication.publishIfNewest(readId, study, firstSignedAt)).isEmpty();
        assertThat(reportPublication.publishIfNewest(readId, study, Uid.of(view.path("revisions").get(0)
                .path("segSopInstanceUid").asText()), firstSignedAt)).isEmpty();
        assertThat(TestServers.fhir().findAll(postRequestedFor(urlEqualTo(TestServers.FHIR_PATH)))).hasSize(fhirPosts);
        assertThat(pacs.searchInstances(study, segSeries.seriesInstanceUid(), org.groundflow.dicomweb.client.QidoQuery.all()))
                .hasSize(2);

        // retract: admins only, with a reason
        assertThat(as(RADIOLOGIST).postForEntity("/api/reads/" + readId + "/retraction", Map.of("reason", REASON),
                JsonNode.class).getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        ResponseEntity<JsonNode> noReason = as(ADMIN).postForEntity("/api/reads/" + readId + "/retraction", Map.of(),
                JsonNode.class);
        assertThat(noReason.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(noReason.getBody().path("message").asText()).contains("reason is required").contains(readId);
        assertThat(as(ADMIN).postForEntity("/api/reads/" + readId + "/retraction", Map.of("reason", "x".repeat(1001)),
                JsonNode.class).getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        ResponseEntity<JsonNode> retracted = as(ADMIN).postForEntity("/api/reads/" + readId + "/retraction",
                Map.of("reason", REASON), JsonNode.class);
        assertThat(retracted.getStatusCode()).as("%s", retracted.getBody()).isEqualTo(HttpStatus.OK);
        assertThat(retracted.getBody().path("retraction").path("retractedBy").asText()).isEqualTo(ADMIN);
        assertThat(as(ADMIN).postForEntity("/api/reads/" + readId + "/retraction", Map.of("reason", REASON),
                JsonNode.class).getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(as(RADIOLOGIST).postForEntity("/api/reads/" + readId + "/amendments", null, JsonNode.class)
                .getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        String retraction = history.createHistoricProcessInstanceQuery().processDefinitionKey("retract-read")
                .variableValueEquals("readId", readId).singleResult().getId();
        awaitEnded(retraction);

        // the PACS: a rejection note withdrawing both SEG and both SR, read back
        SeriesRecord koSeries = pacs.searchSeries(study).stream().filter(s -> "KO".equals(s.modality())).findFirst()
                .orElseThrow();
        List<Path> notes = pacs.retrieveSeries(study, koSeries.seriesInstanceUid(), dir.resolve("ko"));
        assertThat(notes).hasSize(1);
        RejectionNoteReader.Content note = RejectionNoteReader.read(Files.readAllBytes(notes.get(0)));
        assertThat(note.title()).isEqualTo(RejectionReason.PATIENT_SAFETY.code());
        assertThat(note.reason()).isEqualTo(REASON);
        assertThat(note.rejected()).extracting(InstanceReference::sopInstanceUid).containsExactlyInAnyOrder(
                first.sopInstanceUid(), second.sopInstanceUid(),
                Uid.of(view.path("revisions").get(0).path("segSopInstanceUid").asText()),
                Uid.of(view.path("revisions").get(1).path("segSopInstanceUid").asText()));

        // the EHR: the report entered-in-error
        JsonNode withdrawn = lastBundle(readId);
        assertThat(resources(withdrawn, "DiagnosticReport").get(0).path("status").asText()).isEqualTo("entered-in-error");

        JsonNode after = as(ADMIN).getForObject("/api/reads/" + readId, JsonNode.class);
        assertThat(after.path("retraction").path("reason").asText()).isEqualTo(REASON);
        assertThat(after.path("retraction").path("rejectionNoteUid").asText()).isEqualTo(note.sopInstanceUid().value());
        assertThat(after.path("revisions")).allSatisfy(r -> assertThat(r.path("state").asText()).isEqualTo("RETRACTED"));

        // the audit: the sign-off, the amendment and the retraction, the chain intact
        JsonNode trail = as(RADIOLOGIST).getForObject("/api/studies/" + study.value() + "/audit", JsonNode.class);
        assertThat(trail).hasSize(3);
        assertThat(trail.get(0).path("kind").asText()).isEqualTo("sign-off");
        assertThat(trail.get(1).path("kind").asText()).isEqualTo("amendment");
        assertThat(trail.get(1).path("changes").toString()).contains(EDITED).contains(AMENDED_IMPRESSION);
        assertThat(trail.get(2).path("kind").asText()).isEqualTo("retraction");
        assertThat(trail.get(2).path("reviewer").asText()).isEqualTo(ADMIN);
        assertThat(trail.get(2).path("changes").get(0).path("signedText").asText()).isEqualTo(REASON);
        assertThat(audit.verify()).isEmpty();
    }

    @Test
    void anAmendmentKeepingNoFindingWithdrawsTheEarlierSegAndSrInThePacs() throws Exception {
        ReadsAtReview.Read read = atReview("amended-to-none");
        String readId = read.readId();
        Uid study = read.study();
        int count = read.draft().interpretation().findings().size();
        List<Map<String, Object>> acceptAll = new ArrayList<>();
        List<Map<String, Object>> rejectAll = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            acceptAll.add(Map.of("finding", n, "decision", "accept"));
            rejectAll.add(Map.of("finding", n, "decision", "reject"));
        }
        sign(read.taskId(), acceptAll, "First impression.");
        awaitEnded(read.processInstanceId());
        JsonNode opened = as(RADIOLOGIST).postForEntity("/api/reads/" + readId + "/amendments", null, JsonNode.class)
                .getBody();
        sign(opened.path("taskId").asText(), rejectAll, "Nothing of note after all.");
        String amendment = opened.path("processInstanceId").asText();
        awaitEnded(amendment);

        // the PACS: the first revision's SEG and SR stay stored, withdrawn by one rejection note
        JsonNode view = as(RADIOLOGIST).getForObject("/api/reads/" + readId, JsonNode.class);
        assertThat(view.path("revisions")).hasSize(2);
        assertThat(view.path("revisions").get(1).path("state").asText()).isEqualTo("CURRENT");
        assertThat(view.path("revisions").get(1).path("segSopInstanceUid").asText(null)).as("no SEG of its own").isNull();
        Uid seg = Uid.of(view.path("revisions").get(0).path("segSopInstanceUid").asText());
        Uid sr = Uid.of(view.path("revisions").get(0).path("srSopInstanceUid").asText());
        List<SeriesRecord> series = pacs.searchSeries(study);
        assertThat(series).extracting(SeriesRecord::modality).contains("SEG", "SR", "KO");
        SeriesRecord koSeries = series.stream().filter(s -> "KO".equals(s.modality())).findFirst().orElseThrow();
        List<Path> notes = pacs.retrieveSeries(study, koSeries.seriesInstanceUid(), dir.resolve("ko"));
        assertThat(notes).hasSize(1);
        RejectionNoteReader.Content note = RejectionNoteReader.read(Files.readAllBytes(notes.get(0)));
        assertThat(note.title()).isEqualTo(RejectionReason.PATIENT_SAFETY.code());
        assertThat(note.reason()).contains("kept none of the findings");
        assertThat(note.rejected()).extracting(InstanceReference::sopInstanceUid).containsExactlyInAnyOrder(seg, sr);
        assertThat(history.createHistoricVariableInstanceQuery().processInstanceId(amendment)
                .variableName("rejectionNoteUid").singleResult().getValue()).isEqualTo(note.sopInstanceUid().value());

        // a retried step stores the same note: still one in the PACS
        Instant amendedAt = store.signOff(readId).orElseThrow().signedAt();
        assertThat(retraction.withdrawAmendedFromPacs(readId, study, amendedAt)).contains(note.sopInstanceUid());
        assertThat(pacs.searchInstances(study, koSeries.seriesInstanceUid(),
                org.groundflow.dicomweb.client.QidoQuery.all())).hasSize(1);

        // the EHR: the same report, amended
        JsonNode report = resources(lastBundle(readId), "DiagnosticReport").get(0);
        assertThat(report.path("status").asText()).isEqualTo("amended");
        assertThat(report.path("conclusion").asText()).isEqualTo("Nothing of note after all.");
    }

    @Test
    void aRetractionAlsoWithdrawsWhatAPublicationStoredButNeverRecorded() throws Exception {
        ReadsAtReview.Read read = signedAcceptingAll("stored-unrecorded");
        String readId = read.readId();
        Uid study = read.study();
        // what an amendment's publication leaves when its process is cancelled after its STOW-RS: the next revision's
        // SEG in the PACS, its ledger row rolled back with the job
        SignOff signOff = store.signOff(readId).orElseThrow();
        Revision first = ledger.revisions(readId).get(0);
        Revision lost = first.next(signOff.signedAt()); // its UIDs are revision 2's; made from the same sign-off
        DicomObjects objects = new DicomMapper(interpreter.card(), properties.organization()).map(new SignedRead(signOff,
                inputs.masks(readId, study), inputs.geometry(signOff, study), lost));
        pacs.store(List.of(objects.segmentation().write(dir.resolve("lost-seg.dcm")))).requireAllStored();
        assertThat(ledger.revisions(readId)).hasSize(1);

        assertThat(as(ADMIN).postForEntity("/api/reads/" + readId + "/retraction", Map.of("reason", REASON),
                JsonNode.class).getStatusCode()).isEqualTo(HttpStatus.OK);
        awaitEnded(history.createHistoricProcessInstanceQuery().processDefinitionKey("retract-read")
                .variableValueEquals("readId", readId).singleResult().getId());

        assertThat(onlyRejectionNote(study).rejected()).extracting(InstanceReference::sopInstanceUid)
                .containsExactlyInAnyOrder(first.segSopInstanceUid(), first.srSopInstanceUid(), lost.segSopInstanceUid());
    }

    @Test
    void aWithdrawalWaitsForAPublicationOfTheSameReadInProgress() throws Exception {
        ReadsAtReview.Read read = signedAcceptingAll("withdrawal-waits");
        String readId = read.readId();
        Uid study = read.study();
        retractions.record(new Retraction(readId, ADMIN, Instant.now(), REASON, null));
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            // a publication in progress: the read locked as publications lock it, its next revision recorded when it ends
            Future<Revision> publication = threads.submit(() -> transaction.execute(status -> {
                inputs.lock(readId);
                locked.countDown();
                try {
                    assertThat(release.await(60, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return ledger.revisionFor(readId, Instant.now());
            }));
            assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();
            Future<Optional<Uid>> withdrawal = threads.submit(() -> transaction.execute(status ->
                    retraction.withdrawFromPacs(readId, study)));
            Thread.sleep(1000);
            assertThat(withdrawal.isDone()).as("the withdrawal waits while the publication holds the read").isFalse();
            release.countDown();
            Revision second = publication.get(60, TimeUnit.SECONDS);
            Uid noteUid = withdrawal.get(60, TimeUnit.SECONDS).orElseThrow();

            RejectionNoteReader.Content note = onlyRejectionNote(study);
            assertThat(note.sopInstanceUid()).isEqualTo(noteUid);
            assertThat(note.rejected()).extracting(InstanceReference::sopInstanceUid)
                    .as("the revision the publication recorded before the withdrawal went on")
                    .contains(second.segSopInstanceUid(), second.srSopInstanceUid());
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void aRetractionCancelsAnOpenAmendment() {
        ReadsAtReview.Read read = atReview("revisions");
        List<Map<String, Object>> rejectAll = new ArrayList<>();
        for (int n = 1; n <= read.draft().interpretation().findings().size(); n++) {
            rejectAll.add(Map.of("finding", n, "decision", "reject"));
        }
        sign(read.taskId(), rejectAll, "Nothing of note.");
        awaitEnded(read.processInstanceId());
        JsonNode opened = as(RADIOLOGIST).postForEntity("/api/reads/" + read.readId() + "/amendments", null,
                JsonNode.class).getBody();
        String amendTask = opened.path("taskId").asText();

        assertThat(as(ADMIN).postForEntity("/api/reads/" + read.readId() + "/retraction", Map.of("reason", REASON),
                JsonNode.class).getStatusCode()).isEqualTo(HttpStatus.OK);

        assertThat(runtime.createProcessInstanceQuery().processInstanceId(opened.path("processInstanceId").asText())
                .count()).as("the amendment's process").isZero();
        ResponseEntity<JsonNode> late = as(RADIOLOGIST).postForEntity("/api/reviews/" + amendTask,
                Map.of("decisions", rejectAll, "impression", "Too late."), JsonNode.class);
        assertThat(late.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        String retraction = history.createHistoricProcessInstanceQuery().processDefinitionKey("retract-read")
                .variableValueEquals("readId", read.readId()).singleResult().getId();
        awaitEnded(retraction);
        assertThat(pacs.findStudy(read.study())).as("nothing was published, so no rejection note either").isEmpty();
        assertThat(resources(lastBundle(read.readId()), "DiagnosticReport").get(0).path("status").asText())
                .isEqualTo("entered-in-error");
    }

    /** A read of a new synthetic study (its draft made beforehand), waiting for the radiologist's review. */
    private ReadsAtReview.Read atReview(String variant) {
        Draft base = DraftFixtures.of(SyntheticStudy.builder().variant(variant).build(), interpreter.card(),
                dir.resolve("source"));
        return new ReadsAtReview(runtime, tasks, store).of(ReadsAtReview.elsewhere(base), RADIOLOGIST);
    }

    /** A read of a new synthetic study, signed with every finding accepted and published, its process ended. */
    private ReadsAtReview.Read signedAcceptingAll(String variant) {
        ReadsAtReview.Read read = atReview(variant);
        List<Map<String, Object>> acceptAll = new ArrayList<>();
        for (int n = 1; n <= read.draft().interpretation().findings().size(); n++) {
            acceptAll.add(Map.of("finding", n, "decision", "accept"));
        }
        sign(read.taskId(), acceptAll, "First impression.");
        awaitEnded(read.processInstanceId());
        return read;
    }

    /** The study's one rejection note, retrieved from the PACS and read back. */
    private RejectionNoteReader.Content onlyRejectionNote(Uid study) throws java.io.IOException {
        SeriesRecord koSeries = pacs.searchSeries(study).stream().filter(s -> "KO".equals(s.modality())).findFirst()
                .orElseThrow();
        List<Path> notes = pacs.retrieveSeries(study, koSeries.seriesInstanceUid(), dir.resolve("ko"));
        assertThat(notes).hasSize(1);
        return RejectionNoteReader.read(Files.readAllBytes(notes.get(0)));
    }

    private void sign(String taskId, List<Map<String, Object>> decisions, String impression) {
        ResponseEntity<JsonNode> signed = as(RADIOLOGIST).postForEntity("/api/reviews/" + taskId,
                Map.of("decisions", decisions, "impression", impression), JsonNode.class);
        assertThat(signed.getStatusCode()).as("%s", signed.getBody()).isEqualTo(HttpStatus.OK);
    }

    private void awaitEnded(String processInstanceId) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            assertThat(runtime.createIncidentQuery().processInstanceId(processInstanceId).list()).as("incidents")
                    .isEmpty();
            assertThat(Optional.ofNullable(history.createHistoricProcessInstanceQuery()
                    .processInstanceId(processInstanceId).singleResult().getEndTime())).isPresent();
        });
    }

    private static JsonNode lastBundle(String readId) {
        List<String> bodies = TestServers.fhir().findAll(postRequestedFor(urlEqualTo(TestServers.FHIR_PATH))).stream()
                .map(r -> r.getBodyAsString()).filter(b -> b.contains(readId)).toList();
        assertThat(bodies).isNotEmpty();
        try {
            return JSON.readTree(bodies.get(bodies.size() - 1));
        } catch (java.io.IOException e) {
            throw new AssertionError("a FHIR transaction of read " + readId + " is not JSON", e);
        }
    }

    private static List<JsonNode> resources(JsonNode bundle, String type) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode entry : bundle.path("entry")) {
            if (type.equals(entry.path("resource").path("resourceType").asText())) {
                found.add(entry.path("resource"));
            }
        }
        return found;
    }
}
