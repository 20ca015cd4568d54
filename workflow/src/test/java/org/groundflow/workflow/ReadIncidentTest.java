package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** A study that cannot be read stops in a visible incident whose message names the study and the problem. */
class ReadIncidentTest extends ApplicationTest {

    @Autowired
    DicomWebClient pacs;

    @Test
    void seriesWithAMissingSliceEndsInAReadableIncident(@TempDir Path dir) {
        SyntheticStudy broken = SyntheticStudy.builder().variant("missing-slice").slices(24).withoutLesions().build();
        List<Path> files = new ArrayList<>(broken.writeTo(dir));
        files.remove(12);
        pacs.store(files).requireAllStored();
        String study = broken.studyInstanceUid().value();

        ResponseEntity<JsonNode> started = as(RADIOLOGIST).postForEntity("/api/reads", Map.of("studyInstanceUid", study), JsonNode.class);
        assertThat(started.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        String readId = started.getBody().path("readId").asText();

        JsonNode[] read = new JsonNode[1];
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            read[0] = as(RADIOLOGIST).getForObject("/api/reads/" + readId, JsonNode.class);
            assertThat(read[0].path("state").asText()).isEqualTo("INCIDENT");
        });
        JsonNode incident = read[0].path("incidents").get(0);
        assertThat(incident.path("step").asText()).as("the series' headers are checked where it is chosen")
                .isEqualTo("RetrieveStudy");
        assertThat(incident.path("message").asText())
                .contains("study " + study)
                .contains("uneven slice spacing");
        assertThat(read[0].path("currentSteps").toString()).contains("RetrieveStudy");
    }
}
