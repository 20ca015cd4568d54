package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.workflow.PacsRequests.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Each read does its work once, proven by counting: the requests the application sends to the PACS (through the
 * counting proxy in front of Orthanc) and the series decodes ({@code groundflow.volume.decodes}) of one read of a
 * study with findings, from its start through the review UI's first load and the sign-off to its publication.
 */
class ReadWorkCountTest extends ApplicationTest {

    /** Before publication: QIDO-RS of the study, QIDO-RS of its series, WADO-RS of the series read. */
    static final int PACS_REQUESTS_BEFORE_PUBLICATION = 3;
    /** Until the review is shown: the interpretation's decode and the review UI's. */
    static final int DECODES_UNTIL_REVIEW = 2;
    /** Publication reads the series' geometry from the headers only: no decode. */
    static final int DECODES_IN_PUBLICATION = 0;
    /** The whole read, review UI included. */
    static final int DECODES_PER_READ = 2;
    /** Publication: one STOW-RS of the SEG and the SR. */
    static final int PACS_REQUESTS_IN_PUBLICATION = 1;
    /** Slices the review UI fetches around the one it shows first. */
    static final int PRELOAD = 3;

    private static final Logger log = LoggerFactory.getLogger(ReadWorkCountTest.class);

    @Autowired
    MeterRegistry meters;

    @Test
    void aReadFetchesItsSeriesOnceAndDecodesItOnlyWhereNeeded(@TempDir Path dir) throws Exception {
        SyntheticStudy study = SyntheticStudy.builder().variant("counted-" + UUID.randomUUID())
                .lesions(SyntheticStudy.DEMO_LESIONS).build();
        try (DicomWebClient orthanc = new DicomWebClient(TestServers.orthanc().endpoint())) {
            orthanc.store(study.writeTo(dir)).requireAllStored();
        }
        PacsRequests pacs = TestServers.pacsRequests();
        int start = pacs.mark();
        double decodesAtStart = decodes();

        ResponseEntity<JsonNode> started = as(RADIOLOGIST).postForEntity("/api/reads",
                Map.of("studyInstanceUid", study.studyInstanceUid().value()), JsonNode.class);
        assertThat(started.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        String readId = started.getBody().path("readId").asText();
        JsonNode awaiting = ReviewUiFixture.awaitState(this, readId, "AWAITING_REVIEW");
        assertThat(awaiting.path("findings")).as("draft findings").isNotEmpty();
        double interpretation = decodes() - decodesAtStart;

        JsonNode task = ReviewUiFixture.task(this, readId);
        firstLoadOfTheReviewUi(readId);
        double review = decodes() - decodesAtStart - interpretation;
        List<PacsRequests.Request> beforePublication = pacs.since(start);

        int signing = pacs.mark();
        List<Map<String, Object>> decisions = new ArrayList<>();
        awaiting.path("findings").forEach(f -> decisions.add(Map.of("finding", f.path("number").asInt(),
                "decision", "accept")));
        ResponseEntity<JsonNode> signed = as(RADIOLOGIST).postForEntity("/api/reviews/" + task.path("taskId").asText(),
                Map.of("decisions", decisions, "impression", "Counted."), JsonNode.class);
        assertThat(signed.getStatusCode()).isEqualTo(HttpStatus.OK);
        JsonNode done = ReviewUiFixture.awaitState(this, readId, "COMPLETED");
        assertThat(done.path("segSopInstanceUid").asText()).isNotBlank();
        double publication = decodes() - decodesAtStart - interpretation - review;

        log.info("read {}: PACS requests before publication {} {}, in publication {} {}; decodes: interpretation {},"
                        + " review UI first load {}, publication {}", readId, pacs.countSince(start).entrySet(),
                beforePublication, pacs.since(signing).stream().map(PacsRequests.Request::kind).toList(),
                pacs.since(signing), interpretation, review, publication);
        assertThat(beforePublication).as("PACS requests before publication").hasSizeLessThanOrEqualTo(
                PACS_REQUESTS_BEFORE_PUBLICATION);
        assertThat(pacs.since(start).stream().filter(r -> r.kind() == Kind.WADO_SERIES))
                .as("WADO-RS retrievals of a series in the whole read: %s", pacs.since(start)).hasSize(1);
        assertThat(interpretation + review).as("decodes until the review is shown (interpretation %s, review UI %s)",
                interpretation, review).isLessThanOrEqualTo(DECODES_UNTIL_REVIEW);
        assertThat(review).as("decodes of the review UI's first load").isLessThanOrEqualTo(1);
        assertThat(publication).as("decodes in publication").isLessThanOrEqualTo(DECODES_IN_PUBLICATION);
        assertThat(interpretation + review + publication).as("decodes of the whole read")
                .isLessThanOrEqualTo(DECODES_PER_READ);
        assertThat(pacs.since(signing)).as("PACS requests in publication").hasSizeLessThanOrEqualTo(
                PACS_REQUESTS_IN_PUBLICATION);
    }

    /**
     * What the review page asks for when it opens: the signed-in user, the worklist, the volume, then the first
     * finding's centroid slice and overlay and their neighbours, all at once as a browser loads images.
     */
    private void firstLoadOfTheReviewUi(String readId) throws Exception {
        assertThat(as(RADIOLOGIST).getForEntity("/api/me", JsonNode.class).getStatusCode()).isEqualTo(HttpStatus.OK);
        ReviewUiFixture.task(this, readId);
        JsonNode volume = as(RADIOLOGIST).getForObject("/api/reads/" + readId + "/volume", JsonNode.class);
        JsonNode first = volume.path("segments").get(0);
        List<String> segments = new ArrayList<>();
        volume.path("segments").forEach(s -> segments.add(s.path("segmentNumber").asText()));
        int centre = first.path("centroidSlice").asInt();
        List<String> urls = new ArrayList<>();
        int last = Math.min(volume.path("slices").asInt() - 1, centre + PRELOAD);
        for (int z = Math.max(0, centre - PRELOAD); z <= last; z++) {
            urls.add("/api/reads/" + readId + "/slices/" + z + ".png?window=lung");
            urls.add("/api/reads/" + readId + "/overlays/" + z + ".png?segments=" + String.join(",", segments));
        }
        ExecutorService browser = Executors.newFixedThreadPool(6);
        try {
            List<CompletableFuture<ResponseEntity<byte[]>>> images = urls.stream()
                    .map(url -> CompletableFuture.supplyAsync(
                            () -> as(RADIOLOGIST).getForEntity(url, byte[].class), browser))
                    .toList();
            for (int i = 0; i < urls.size(); i++) {
                ResponseEntity<byte[]> image = images.get(i).get();
                assertThat(image.getStatusCode()).as(urls.get(i)).isEqualTo(HttpStatus.OK);
                assertThat(image.getHeaders().getContentType()).as(urls.get(i)).isEqualTo(MediaType.IMAGE_PNG);
            }
        } finally {
            browser.shutdownNow();
        }
    }

    private double decodes() {
        Counter counter = meters.find("groundflow.volume.decodes").counter();
        return counter == null ? 0 : counter.count();
    }
}
