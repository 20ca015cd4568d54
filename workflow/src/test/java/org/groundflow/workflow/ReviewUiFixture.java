package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.synthetic.Lesion;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * Reads of synthetic studies for the review UI's tests, started through the REST API as the radiologist and
 * awaited at review. The studies carry the demo lesions (two nodules, one liver lesion) and a second liver lesion,
 * so that two findings share a label and must still differ in colour.
 */
final class ReviewUiFixture {

    /** The demo lesions and a second liver lesion, higher in the right liver. */
    static final List<Lesion> LESIONS;

    static {
        List<Lesion> lesions = new ArrayList<>(SyntheticStudy.DEMO_LESIONS);
        lesions.add(Lesion.liverLesion(-90, 20, -20, 10));
        LESIONS = List.copyOf(lesions);
    }

    record Read(String readId, Uid study, JsonNode view) {
    }

    private ReviewUiFixture() {
    }

    /** Stores the {@code variant} study (unless Orthanc has it) and starts a read of it; returns once it awaits review. */
    static Read awaitingReview(ApplicationTest test, DicomWebClient pacs, String variant) {
        SyntheticStudy study = SyntheticStudy.builder().variant(variant).lesions(LESIONS).build();
        if (pacs.findStudy(study.studyInstanceUid()).isEmpty()) {
            Path dir;
            try {
                dir = Files.createTempDirectory("groundflow-" + variant);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            pacs.store(study.writeTo(dir)).requireAllStored();
        }
        ResponseEntity<JsonNode> started = test.as(ApplicationTest.RADIOLOGIST).postForEntity("/api/reads",
                Map.of("studyInstanceUid", study.studyInstanceUid().value()), JsonNode.class);
        assertThat(started.getStatusCode()).as("start a read: %s", started.getBody()).isEqualTo(HttpStatus.CREATED);
        String readId = started.getBody().path("readId").asText();
        return new Read(readId, study.studyInstanceUid(), awaitState(test, readId, "AWAITING_REVIEW"));
    }

    static JsonNode awaitState(ApplicationTest test, String readId, String state) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            last[0] = test.as(ApplicationTest.RADIOLOGIST).getForObject("/api/reads/" + readId, JsonNode.class);
            if (!last[0].path("incidents").isEmpty()) {
                throw new IllegalStateException("read " + readId + " has incidents: " + last[0].path("incidents"));
            }
            assertThat(last[0].path("state").asText()).isEqualTo(state);
        });
        return last[0];
    }

    /** The open review task of the read, as the radiologist's worklist shows it. */
    static JsonNode task(ApplicationTest test, String readId) {
        JsonNode open = test.as(ApplicationTest.RADIOLOGIST).getForObject("/api/reviews", JsonNode.class);
        return StreamSupport.stream(open.spliterator(), false).filter(t -> readId.equals(t.path("readId").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("read " + readId + " is not on the worklist: " + open));
    }
}
