package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.testing.CompressedCopies;
import org.groundflow.dicomweb.testing.CompressedCopies.Encoding;
import org.groundflow.workflow.PacsRequests.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * A CT study stored as JPEG 2000 in the tests' Orthanc (Debian's Orthanc cannot transcode it: it answers 500 when
 * asked for Explicit VR Little Endian) is read like any other: the series is asked for once more as stored, decoded
 * here, and the read reaches the radiologist's review without an incident.
 */
class CompressedStudyReadTest extends ApplicationTest {

    @Test
    void aJpeg2000StudyReachesTheReviewWithoutAnIncident(@TempDir Path dir) {
        SyntheticStudy study = SyntheticStudy.builder().variant("jpeg-2000-" + UUID.randomUUID())
                .lesions(SyntheticStudy.DEMO_LESIONS).build();
        List<Path> compressed = CompressedCopies.of(study.writeTo(dir.resolve("original")), Encoding.JPEG_2000_LOSSLESS,
                dir.resolve("jpeg-2000"));
        try (DicomWebClient orthanc = new DicomWebClient(TestServers.orthanc().endpoint())) {
            orthanc.store(compressed).requireAllStored();
        }
        PacsRequests pacs = TestServers.pacsRequests();
        int start = pacs.mark();

        ResponseEntity<JsonNode> started = as(RADIOLOGIST).postForEntity("/api/reads",
                Map.of("studyInstanceUid", study.studyInstanceUid().value()), JsonNode.class);
        assertThat(started.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        String readId = started.getBody().path("readId").asText();

        JsonNode awaiting = ReviewUiFixture.awaitState(this, readId, "AWAITING_REVIEW");
        assertThat(awaiting.path("incidents")).as("incidents").isEmpty();
        assertThat(awaiting.path("findings")).as("draft findings on the decoded series").isNotEmpty();
        assertThat(pacs.since(start).stream().filter(r -> r.kind() == Kind.WADO_SERIES))
                .as("WADO-RS of the series: refused in Explicit VR Little Endian, then as stored: %s", pacs.since(start))
                .hasSize(2);
    }
}
