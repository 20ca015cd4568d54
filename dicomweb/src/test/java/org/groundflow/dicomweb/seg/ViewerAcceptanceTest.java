package org.groundflow.dicomweb.seg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.groundflow.dicomweb.sr.MeasurementReport;
import org.groundflow.dicomweb.testing.DemoResults;
import org.groundflow.dicomweb.testing.DemoStudyFiles;
import org.groundflow.dicomweb.testing.ExpectedResults;
import org.groundflow.dicomweb.testing.ExternalCheck;
import org.groundflow.dicomweb.testing.OrthancServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Standard viewers accept what Groundflow publishes. The demo study, its SEG (one segment per lesion, known voxels)
 * and the signed TID 1500 report are stored in a private Orthanc; then, from {@code deploy/ohif} (installed by
 * {@code deploy/setup.sh}, never skipped when missing):
 * <ul>
 * <li>{@code check-adapters.mjs}: @cornerstonejs/adapters 5.6.8 with dcmjs, as OHIF 3.13 reads a SEG, puts every
 * segment on its source images with the expected voxel counts;</li>
 * <li>{@code check-ohif.mjs}: the real OHIF 3.13.2 viewer in headless Chromium opens the study, loads the SEG, and its
 * segmentation service holds exactly the published segments, labels and voxels; the screenshot is kept in
 * {@code target/viewer-acceptance/}.</li>
 * </ul>
 */
class ViewerAcceptanceTest {

    static final Path OHIF_DIR = Path.of("..", "deploy", "ohif").toAbsolutePath().normalize();
    static final Path ARTIFACTS = Path.of("target", "viewer-acceptance").toAbsolutePath();
    static final String SEG_SERIES_DESCRIPTION = "AI segmentation";
    private static final Logger log = LoggerFactory.getLogger(ViewerAcceptanceTest.class);

    @RegisterExtension
    static OrthancServer orthanc = new OrthancServer();

    static Path expected;

    @BeforeAll
    static void publishTheDemoResults() throws IOException {
        Files.createDirectories(ARTIFACTS);
        Segmentation seg = DemoResults.seg();
        MeasurementReport report = DemoResults.report(seg).build();
        List<Path> files = new ArrayList<>(DemoStudyFiles.get());
        files.add(seg.write(ARTIFACTS.resolve("seg.dcm")));
        files.add(report.write(ARTIFACTS.resolve("sr.dcm")));
        for (Path file : files) {
            upload(file);
        }
        expected = ExpectedResults.write(ARTIFACTS.resolve("expected.json"), DemoResults.volume(), seg,
                SEG_SERIES_DESCRIPTION, DemoResults.lesionMasks(), DemoResults.sentences());
    }

    @Test
    void cornerstoneAdaptersPutEverySegmentOnItsSourceImages() {
        Path node = requireNodePackages();

        JsonNode result = ExternalCheck.run(List.of(node.toString(), OHIF_DIR.resolve("check-adapters.mjs").toString()),
                Map.of("ORTHANC_URL", orthanc.restUrl(), "EXPECTED", expected.toString()),
                ARTIFACTS.resolve("check-adapters.log"), Duration.ofSeconds(90));

        assertThat(result.path("segments")).extracting(s -> s.path("label").asText())
                .containsExactly("Nodule 1", "Nodule 2", "Liver lesion");
    }

    @Test
    void ohifLoadsTheSegmentationWithExactlyThePublishedSegments() {
        Path node = requireNodePackages();
        Path dist = ohifDist();
        if (!Files.isRegularFile(dist.resolve("index.html"))) {
            fail("OHIF 3.13.2 is not unpacked at " + dist + ": run deploy/setup.sh (npm pack @ohif/app@3.13.2)");
        }
        if (!Files.isExecutable(ExternalCheck.CHROMIUM)) {
            fail(ExternalCheck.CHROMIUM + " is missing: run deploy/setup.sh (it installs Debian's chromium)");
        }
        Path screenshot = ARTIFACTS.resolve("ohif-seg.png");

        JsonNode result = ExternalCheck.run(List.of(node.toString(), OHIF_DIR.resolve("check-ohif.mjs").toString()),
                Map.of("ORTHANC_URL", orthanc.restUrl(), "EXPECTED", expected.toString(), "SCREENSHOT", screenshot.toString(),
                        "OHIF_DIST", dist.toString(), "CHROMIUM", ExternalCheck.CHROMIUM.toString()),
                ARTIFACTS.resolve("check-ohif.log"), Duration.ofSeconds(150));

        JsonNode segments = result.path("segmentations").get(0).path("segments");
        assertThat(segments).extracting(s -> s.path("label").asText()).containsExactly("Nodule 1", "Nodule 2", "Liver lesion");
        assertThat(screenshot).isNotEmptyFile();
        log.info("OHIF check took {} ms: {}", result.path("ms").asLong(), result.path("timings"));
    }

    private static Path requireNodePackages() {
        Path node = ExternalCheck.requireNode();
        for (String module : List.of("@cornerstonejs/adapters", "dcmjs", "playwright-core")) {
            if (!Files.isDirectory(OHIF_DIR.resolve("node_modules").resolve(module))) {
                fail(module + " is not installed in " + OHIF_DIR + ": run deploy/setup.sh (npm ci there)");
            }
        }
        return node;
    }

    static Path ohifDist() {
        String configured = System.getenv("OHIF_DIST");
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "groundflow", "ohif-app-3.13.2", "dist");
    }

    private static void upload(Path file) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(orthanc.restUrl() + "/instances").toURL().openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/dicom");
        try (OutputStream out = connection.getOutputStream()) {
            Files.copy(file, out);
        }
        int status = connection.getResponseCode();
        connection.disconnect();
        if (status != 200) {
            throw new IOException("Orthanc refused " + file + ": HTTP " + status);
        }
    }
}
