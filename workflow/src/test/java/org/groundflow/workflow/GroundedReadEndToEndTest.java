package org.groundflow.workflow;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.camunda.bpm.engine.HistoryService;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.client.SeriesRecord;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.seg.SegmentDescription;
import org.groundflow.dicomweb.seg.SegmentationContent;
import org.groundflow.dicomweb.seg.SegmentationReader;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * The demo study walks the whole way through the public REST API: read started, model draft, review with the first
 * finding edited, any between accepted and the last rejected, SEG in the real Orthanc, DiagnosticReport at the FHIR
 * endpoint.
 */
class GroundedReadEndToEndTest extends ApplicationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REVIEWER = RADIOLOGIST;
    private static final String EDITED = "A small nodule, edited by the radiologist.";

    @Autowired
    DicomWebClient pacs;
    @Autowired
    HistoryService history;

    @BeforeAll
    static void storeDemoStudy(@TempDir Path dir) {
        try (DicomWebClient client = new DicomWebClient(TestServers.orthanc().endpoint())) {
            if (client.findStudy(SyntheticStudy.STUDY_INSTANCE_UID).isEmpty()) {
                client.store(SyntheticStudy.write(dir)).requireAllStored();
            }
        }
    }

    @Test
    void demoStudyIsReadReviewedAndPublished(@TempDir Path retrieved) throws Exception {
        String study = SyntheticStudy.STUDY_INSTANCE_UID.value();

        ResponseEntity<JsonNode> started = as(RADIOLOGIST).postForEntity("/api/reads", Map.of("studyInstanceUid", study), JsonNode.class);
        assertThat(started.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        String readId = started.getBody().path("readId").asText();
        String processInstanceId = started.getBody().path("processInstanceId").asText();
        assertThat(readId).isNotBlank();
        assertThat(processInstanceId).isNotBlank();

        ResponseEntity<JsonNode> again = as(RADIOLOGIST).postForEntity("/api/reads", Map.of("studyInstanceUid", study), JsonNode.class);
        assertThat(again.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(again.getBody().path("message").asText()).contains(study).contains(readId);

        JsonNode awaiting = awaitState(readId, "AWAITING_REVIEW");
        assertThat(awaiting.path("currentSteps").toString()).contains("RadiologistReview");
        JsonNode findings = awaiting.path("findings");
        assertThat(findings.size()).as("draft findings on the demo study").isGreaterThanOrEqualTo(2);
        for (JsonNode finding : findings) {
            assertThat(finding.path("text").asText()).contains(finding.path("phrase").asText());
            assertThat(finding.path("segmentNumber").asInt()).isPositive();
        }

        JsonNode task = StreamSupport.stream(as(RADIOLOGIST).getForObject("/api/reviews", JsonNode.class).spliterator(), false)
                .filter(t -> readId.equals(t.path("readId").asText())).findFirst().orElseThrow();
        String taskId = task.path("taskId").asText();

        int count = findings.size();
        ResponseEntity<JsonNode> incomplete = as(RADIOLOGIST).postForEntity("/api/reviews/" + taskId,
                Map.of("decisions", List.of(Map.of("finding", 1, "decision", "accept")), "reviewer", REVIEWER), JsonNode.class);
        assertThat(incomplete.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(incomplete.getBody().path("message").asText()).contains("finding 2 has no decision");

        List<Map<String, Object>> decisions = new ArrayList<>();
        decisions.add(Map.of("finding", 1, "decision", "edit", "text", EDITED));
        for (int n = 2; n < count; n++) {
            decisions.add(Map.of("finding", n, "decision", "accept"));
        }
        decisions.add(Map.of("finding", count, "decision", "reject"));
        ResponseEntity<JsonNode> signed = as(RADIOLOGIST).postForEntity("/api/reviews/" + taskId,
                Map.of("decisions", decisions, "impression", "Signed impression.", "reviewer", REVIEWER), JsonNode.class);
        assertThat(signed.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(signed.getBody().path("kept").asInt()).isEqualTo(count - 1);

        JsonNode done = awaitState(readId, "COMPLETED");
        String segUid = done.path("segSopInstanceUid").asText();
        assertThat(segUid).startsWith("2.25.");
        assertThat(done.path("diagnosticReportId").asText()).isNotBlank();
        assertThat(done.path("reviewer").asText()).isEqualTo(REVIEWER);
        assertThat(history.createHistoricProcessInstanceQuery().processInstanceId(processInstanceId).singleResult()
                .getEndTime()).isNotNull();

        // The SEG in Orthanc references the source series and holds only the kept findings.
        String sourceSeries = done.path("seriesInstanceUid").asText();
        SeriesRecord segSeries = pacs.searchSeries(SyntheticStudy.STUDY_INSTANCE_UID).stream()
                .filter(s -> "SEG".equals(s.modality())).findFirst().orElseThrow();
        List<Path> files = pacs.retrieveSeries(SyntheticStudy.STUDY_INSTANCE_UID, segSeries.seriesInstanceUid(), retrieved);
        assertThat(files).hasSize(1);
        SegmentationContent seg = SegmentationReader.read(Files.readAllBytes(files.get(0)));
        assertThat(seg.sopInstanceUid()).isEqualTo(Uid.of(segUid));
        assertThat(seg.referencedSeriesInstanceUid()).isEqualTo(Uid.of(sourceSeries));
        List<String> keptLabels = new ArrayList<>();
        for (int n = 1; n < count; n++) {
            keptLabels.add(findings.get(n - 1).path("label").asText());
        }
        assertThat(seg.segments()).extracting(SegmentDescription::label).containsExactlyElementsOf(keptLabels);
        assertThat(seg.segments()).extracting(SegmentDescription::number)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, count - 1).boxed().toList());

        // The DiagnosticReport carries the study UID and the reviewer.
        List<LoggedRequest> posts = TestServers.fhir().findAll(postRequestedFor(urlEqualTo(TestServers.FHIR_PATH)));
        JsonNode bundle = posts.stream().map(r -> readJson(r.getBodyAsString()))
                .filter(b -> b.toString().contains(readId)).reduce((a, b) -> b).orElseThrow();
        assertThat(bundle.path("type").asText()).isEqualTo("transaction");
        JsonNode report = resource(bundle, "DiagnosticReport");
        assertThat(report.path("status").asText()).isEqualTo("final");
        assertThat(report.path("conclusion").asText()).isEqualTo("Signed impression.");
        JsonNode practitioner = resource(bundle, "Practitioner");
        assertThat(practitioner.path("identifier").get(0).path("value").asText()).isEqualTo(REVIEWER);
        assertThat(report.path("resultsInterpreter").get(0).path("reference").asText())
                .isEqualTo(fullUrl(bundle, "Practitioner"));
        JsonNode imagingStudy = resource(bundle, "ImagingStudy");
        assertThat(imagingStudy.path("identifier").get(0).path("value").asText()).isEqualTo("urn:oid:" + study);
        assertThat(report.path("imagingStudy").get(0).path("reference").asText()).isEqualTo(fullUrl(bundle, "ImagingStudy"));
        assertThat(report.path("result")).hasSize(count - 1);
        assertThat(bundle.toString()).contains(EDITED);
    }

    @Test
    void unknownAndInvalidStudiesAreRefused() {
        ResponseEntity<JsonNode> unknown = as(RADIOLOGIST).postForEntity("/api/reads",
                Map.of("studyInstanceUid", "1.2.826.0.1.3680043.9.9999.1"), JsonNode.class);
        assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(unknown.getBody().path("message").asText()).contains("1.2.826.0.1.3680043.9.9999.1").contains("not found");

        ResponseEntity<JsonNode> invalid = as(RADIOLOGIST).postForEntity("/api/reads", Map.of("studyInstanceUid", "1.02.x"), JsonNode.class);
        assertThat(invalid.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);

        ResponseEntity<JsonNode> noRead = as(RADIOLOGIST).getForEntity("/api/reads/00000000-0000-0000-0000-000000000000", JsonNode.class);
        assertThat(noRead.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    private JsonNode awaitState(String readId, String state) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            last[0] = as(RADIOLOGIST).getForObject("/api/reads/" + readId, JsonNode.class);
            assertThat(last[0].path("incidents")).as("incidents of read %s: %s", readId, last[0]).isEmpty();
            assertThat(last[0].path("state").asText()).isEqualTo(state);
        });
        return last[0];
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("FHIR request body is not JSON", e);
        }
    }

    private static JsonNode entry(JsonNode bundle, String type) {
        for (JsonNode entry : bundle.path("entry")) {
            if (type.equals(entry.path("resource").path("resourceType").asText())) {
                return entry;
            }
        }
        throw new AssertionError("no " + type + " in the bundle");
    }

    private static JsonNode resource(JsonNode bundle, String type) {
        return entry(bundle, type).path("resource");
    }

    private static String fullUrl(JsonNode bundle, String type) {
        return entry(bundle, type).path("fullUrl").asText();
    }
}
