package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** The review UI's image endpoints and {@code /api/me}: shapes, colours, validation and who may see what. */
class ReadImagesApiTest extends ApplicationTest {

    private static ReviewUiFixture.Read read;

    @Autowired
    DicomWebClient pacs;

    private synchronized ReviewUiFixture.Read read() {
        if (read == null) {
            read = ReviewUiFixture.awaitingReview(this, pacs, "ui-images");
        }
        return read;
    }

    @Test
    void volumeDescribesTheGridAndEachFindingsSegmentInItsOwnColour() {
        JsonNode volume = as(RADIOLOGIST).getForObject("/api/reads/" + read().readId() + "/volume", JsonNode.class);
        assertThat(volume.path("columns").asInt()).isEqualTo(256);
        assertThat(volume.path("rows").asInt()).isEqualTo(256);
        assertThat(volume.path("slices").asInt()).isEqualTo(48);
        assertThat(volume.path("studyInstanceUid").asText()).isEqualTo(read().study().value());
        assertThat(volume.toString()).doesNotContain("Groundflow^Demo");
        JsonNode findings = read().view().path("findings");
        JsonNode segments = volume.path("segments");
        assertThat(segments.size()).isEqualTo(findings.size()).isGreaterThanOrEqualTo(2);
        Set<String> colours = new HashSet<>();
        for (int i = 0; i < segments.size(); i++) {
            JsonNode segment = segments.get(i);
            assertThat(segment.path("finding").asInt()).isEqualTo(findings.get(i).path("number").asInt());
            assertThat(segment.path("segmentNumber").asInt()).isEqualTo(findings.get(i).path("segmentNumber").asInt());
            assertThat(segment.path("colour").asText()).matches("#[0-9a-f]{6}");
            assertThat(segment.path("voxelCount").asLong()).isPositive();
            assertThat(segment.path("centroidSlice").asInt())
                    .isBetween(segment.path("firstSlice").asInt(), segment.path("lastSlice").asInt());
            colours.add(segment.path("colour").asText());
        }
        assertThat(colours).as("one colour per finding").hasSize(segments.size());
    }

    @Test
    void slicesAreGreyscaleAndOverlaysDrawEachSegmentInItsColour() throws IOException {
        String base = "/api/reads/" + read().readId();
        ResponseEntity<byte[]> slice = as(RADIOLOGIST).getForEntity(base + "/slices/10.png?window=soft", byte[].class);
        assertThat(slice.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(slice.getHeaders().getContentType()).isEqualTo(MediaType.IMAGE_PNG);
        BufferedImage grey = png(slice.getBody());
        assertThat(grey.getWidth()).isEqualTo(256);
        assertThat(grey.getHeight()).isEqualTo(256);
        assertThat(grey.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
        assertThat(grey.getRaster().getSample(0, 0, 0)).as("air in the soft-tissue window").isZero();

        JsonNode volume = as(RADIOLOGIST).getForObject(base + "/volume", JsonNode.class);
        for (JsonNode segment : volume.path("segments")) {
            int z = segment.path("centroidSlice").asInt();
            BufferedImage overlay = png(as(RADIOLOGIST).getForObject(base + "/overlays/" + z + ".png", byte[].class));
            int argb = overlay.getRGB(segment.path("centroidColumn").asInt(), segment.path("centroidRow").asInt());
            assertThat(String.format("#%06x", argb & 0xFFFFFF)).isEqualTo(segment.path("colour").asText());
            assertThat(argb >>> 24).as("fill opacity").isEqualTo(115);
            assertThat(overlay.getRGB(0, 0) >>> 24).as("outside every segment").isZero();

            String others = segment.path("segmentNumber").asInt() == 1 ? "2" : "1";
            BufferedImage without = png(as(RADIOLOGIST).getForObject(base + "/overlays/" + z + ".png?segments=" + others,
                    byte[].class));
            assertThat(without.getRGB(segment.path("centroidColumn").asInt(), segment.path("centroidRow").asInt()) >>> 24)
                    .as("a segment left out of the list is not drawn").isZero();
        }
    }

    @Test
    void imageRequestsAreValidatedWithReadableMessages() {
        String base = "/api/reads/" + read().readId();
        assertError(base + "/slices/48.png", HttpStatus.NOT_FOUND, "slice 48 does not exist: the series has slices 0 to 47");
        assertError(base + "/slices/-1.png", HttpStatus.NOT_FOUND, "slice -1 does not exist");
        assertError(base + "/slices/top.png", HttpStatus.BAD_REQUEST, "slice must be a whole number, got 'top'");
        assertError(base + "/slices/3.png?window=bone", HttpStatus.BAD_REQUEST, "window must be one of [lung, soft], got 'bone'");
        assertError(base + "/overlays/3.png?segments=x", HttpStatus.BAD_REQUEST, "segments must be comma-separated");
        assertError(base + "/overlays/3.png?segments=99", HttpStatus.BAD_REQUEST, "segment 99 is not a segment of this read");
        assertError("/api/reads/not-a-read/volume", HttpStatus.BAD_REQUEST, "readId must be a lower-case UUID");
        assertError("/api/reads/00000000-0000-0000-0000-000000000000/volume", HttpStatus.NOT_FOUND, "no read with id");
    }

    @Test
    void onlyTheReadsReviewersAndAdminsSeeItsImages() {
        String base = "/api/reads/" + read().readId();
        ResponseEntity<JsonNode> other = as(OTHER_RADIOLOGIST).getForEntity(base + "/volume", JsonNode.class);
        assertThat(other.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(other.getBody().path("message").asText()).contains("radiologists").contains(OTHER_RADIOLOGIST);
        assertThat(as(OTHER_RADIOLOGIST).getForEntity(base + "/slices/0.png", byte[].class).getStatusCode())
                .isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(as(ADMIN).getForEntity(base + "/volume", JsonNode.class).getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(anonymous().getForEntity(base + "/slices/0.png", byte[].class).getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void meNamesTheUserTheirGroupsAndTheViewerLink() {
        JsonNode me = as(RADIOLOGIST).getForObject("/api/me", JsonNode.class);
        assertThat(me.path("userId").asText()).isEqualTo(RADIOLOGIST);
        assertThat(me.path("groups").toString()).contains("radiologists");
        assertThat(me.path("admin").asBoolean()).isFalse();
        assertThat(me.path("viewerUrl").asText()).contains("{studyInstanceUid}");
        assertThat(as(ADMIN).getForObject("/api/me", JsonNode.class).path("admin").asBoolean()).isTrue();
    }

    @Test
    void reviewPagesAreServedToSignedInUsers() {
        ResponseEntity<String> worklist = as(RADIOLOGIST).getForEntity("/review/", String.class);
        assertThat(worklist.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(worklist.getBody()).contains("Worklist").contains("/review/worklist.js");
        ResponseEntity<String> task = as(RADIOLOGIST).getForEntity("/review/task.html", String.class);
        assertThat(task.getBody()).contains("Open in OHIF").contains("Sign report");
        ResponseEntity<String> anonymous = anonymous().getForEntity("/review/", String.class);
        assertThat(anonymous.getStatusCode().is3xxRedirection() || String.valueOf(anonymous.getBody()).contains("username"))
                .as("anonymous visitors are sent to sign in: %s", anonymous).isTrue();
    }

    private void assertError(String path, HttpStatus status, String message) {
        ResponseEntity<JsonNode> answer = as(RADIOLOGIST).getForEntity(path, JsonNode.class);
        assertThat(answer.getStatusCode()).as("%s: %s", path, answer.getBody()).isEqualTo(status);
        assertThat(answer.getBody().path("message").asText()).as(path).contains(message);
    }

    private static BufferedImage png(byte[] bytes) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(image).as("a PNG").isNotNull();
        return image;
    }
}
