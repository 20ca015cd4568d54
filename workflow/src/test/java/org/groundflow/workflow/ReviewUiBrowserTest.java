package org.groundflow.workflow;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import java.util.stream.StreamSupport;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.client.SeriesRecord;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.seg.SegmentDescription;
import org.groundflow.dicomweb.seg.SegmentationContent;
import org.groundflow.dicomweb.seg.SegmentationReader;
import org.groundflow.dicomweb.sr.MeasurementReportReader;
import org.groundflow.dicomweb.sr.ReportCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/**
 * A radiologist reviews a read in the review UI, in headless Chromium (Debian's {@code /usr/bin/chromium} driven by
 * npm {@code playwright-core}, installed by {@code deploy/setup.sh}): signs in, opens the task from the worklist,
 * edits one finding, rejects one, signs; the SEG in Orthanc then holds only the kept segments and the FHIR report the
 * edited sentence. The edited sentence carries markup, which stays text in the page, the SR and the FHIR report.
 */
class ReviewUiBrowserTest extends ApplicationTest {

    static final Path BROWSER_DIR = Path.of("src", "test", "browser");
    static final Path SCRIPT = BROWSER_DIR.resolve("review.test.mjs");
    static final Path ARTIFACTS = Path.of("target", "review-ui");
    static final String CHROMIUM = "/usr/bin/chromium";
    /** Typed in the browser: markup that would run if the page took it for HTML, quotes, and characters beyond ASCII. */
    private static final String EDITED = "A lesion <img src=x onerror=\"window.__groundflowInjected=true\">"
            + "<script>window.__groundflowInjected=true</script> the radiologist reworded: “stable” & 5 mm ≥ 3 mm, Läsion 🙂";
    private static final String IMPRESSION = "Impression written in the review UI, <b>not bold</b> & plain.";
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;
    @Autowired
    DicomWebClient pacs;

    @Test
    void radiologistReviewsInTheBrowserAndThePublishedResultsFollowTheDecisions(@TempDir Path retrieved) throws Exception {
        Path node = requireBrowserTools();
        ReviewUiFixture.Read read = ReviewUiFixture.awaitingReview(this, pacs, "ui-browser");
        JsonNode findings = read.view().path("findings");
        assertThat(findings.size()).as("draft findings of the UI study").isGreaterThanOrEqualTo(2);

        JsonNode result = runBrowser(node, read.readId());
        assertThat(result.path("findings").asInt()).isEqualTo(findings.size());
        int edited = result.path("edited").get(0).asInt();
        int rejected = result.path("rejected").get(0).asInt();
        assertThat(edited).isNotEqualTo(rejected);

        JsonNode done = ReviewUiFixture.awaitState(this, read.readId(), "COMPLETED");
        assertThat(done.path("reviewer").asText()).isEqualTo(RADIOLOGIST);
        List<String> keptLabels = new ArrayList<>();
        for (JsonNode finding : done.path("findings")) {
            int number = finding.path("number").asInt();
            String expected = number == rejected ? "reject" : number == edited ? "edit" : "accept";
            assertThat(finding.path("decision").asText()).as("decision on finding %d", number).isEqualTo(expected);
            if (number == edited) {
                assertThat(finding.path("signedText").asText()).isEqualTo(EDITED);
            }
            if (number != rejected) {
                keptLabels.add(finding.path("label").asText());
            }
        }

        // The SEG in Orthanc holds the kept segments only, in finding order.
        Uid study = read.study();
        SeriesRecord segSeries = pacs.searchSeries(study).stream().filter(s -> "SEG".equals(s.modality())).findFirst()
                .orElseThrow(() -> new AssertionError("no SEG series in study " + study));
        List<Path> files = pacs.retrieveSeries(study, segSeries.seriesInstanceUid(), retrieved);
        assertThat(files).hasSize(1);
        SegmentationContent seg = SegmentationReader.read(Files.readAllBytes(files.get(0)));
        assertThat(seg.sopInstanceUid().value()).isEqualTo(done.path("segSopInstanceUid").asText());
        assertThat(seg.segments()).extracting(SegmentDescription::label).containsExactlyElementsOf(keptLabels);

        // The SR holds the edited sentence as typed.
        SeriesRecord srSeries = pacs.searchSeries(study).stream().filter(s -> "SR".equals(s.modality())).findFirst()
                .orElseThrow(() -> new AssertionError("no SR series in study " + study));
        List<Path> srFiles = pacs.retrieveSeries(study, srSeries.seriesInstanceUid(),
                Files.createDirectories(retrieved.resolve("sr")));
        assertThat(srFiles).hasSize(1);
        assertThat(MeasurementReportReader.read(Files.readAllBytes(srFiles.get(0))).groups())
                .extracting(g -> g.group().text()).contains(EDITED);
        assertThat(MeasurementReportReader.read(Files.readAllBytes(srFiles.get(0))).groups())
                .as("each group carries the model's confidence").allSatisfy(g -> assertThat(g.group().measurements())
                        .anySatisfy(m -> assertThat(m.concept()).isEqualTo(ReportCodes.MODEL_CONFIDENCE)));

        // The FHIR transaction carries the edited sentence and the impression typed in the browser: as values verbatim,
        // in the narrative escaped (valid XHTML, text equal to what was typed, no element made of the markup).
        JsonNode bundle = TestServers.fhir().findAll(postRequestedFor(urlEqualTo(TestServers.FHIR_PATH))).stream()
                .map(r -> readJson(r.getBodyAsString())).filter(b -> b.toString().contains(read.readId()))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no FHIR transaction names read " + read.readId()));
        List<JsonNode> resources = StreamSupport.stream(bundle.path("entry").spliterator(), false)
                .map(e -> e.path("resource")).toList();
        assertThat(resources).filteredOn(r -> "Observation".equals(r.path("resourceType").asText()))
                .extracting(r -> r.path("valueString").asText()).contains(EDITED);
        assertThat(resources).filteredOn(r -> "Observation".equals(r.path("resourceType").asText()))
                .as("each Observation carries the model's confidence as a component").allSatisfy(o ->
                        assertThat(o.path("component").findValuesAsText("code")).contains("confidence"));
        JsonNode report = resources.stream().filter(r -> "DiagnosticReport".equals(r.path("resourceType").asText()))
                .findFirst().orElseThrow();
        assertThat(report.path("conclusion").asText()).isEqualTo(IMPRESSION);
        assertThat(report.path("result")).hasSize(keptLabels.size());
        Document narrative = xhtml(report.path("text").path("div").asText());
        for (String markup : List.of("img", "script", "b")) {
            assertThat(narrative.getElementsByTagNameNS("*", markup).getLength()).as("<%s> in the narrative", markup).isZero();
        }
        assertThat(narrative.getDocumentElement().getTextContent()).contains(EDITED).contains(IMPRESSION);
    }

    /** Runs the Playwright script; its last line is a JSON result, its output is kept under target/review-ui. */
    private JsonNode runBrowser(Path node, String readId) throws IOException, InterruptedException {
        if (Files.isDirectory(ARTIFACTS)) {
            try (var old = Files.list(ARTIFACTS)) {
                for (Path file : (Iterable<Path>) old::iterator) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(ARTIFACTS);
        Path log = ARTIFACTS.resolve("browser.log");
        ProcessBuilder browser = new ProcessBuilder(node.toString(), SCRIPT.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = browser.environment();
        env.put("BASE_URL", "http://127.0.0.1:" + port);
        env.put("USER", RADIOLOGIST);
        env.put("PASSWORD", PASSWORD);
        env.put("READ_ID", readId);
        env.put("SCREENSHOT", ARTIFACTS.resolve("review-task.png").toAbsolutePath().toString());
        env.put("EDIT_TEXT", EDITED);
        env.put("IMPRESSION", IMPRESSION);
        env.put("CHROMIUM", CHROMIUM);
        Process process = browser.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("the browser test did not finish in 90 s; its output:\n" + Files.readString(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        List<String> lines = output.lines().filter(l -> l.startsWith("{")).toList();
        assertThat(process.exitValue()).as("browser test exit code; output:\n%s", output).isZero();
        assertThat(lines).as("browser test output:\n%s", output).isNotEmpty();
        JsonNode result = readJson(lines.get(lines.size() - 1));
        assertThat(result.path("ok").asBoolean()).as("browser test result: %s", result).isTrue();
        return result;
    }

    /** Node, Chromium and playwright-core must be there: deploy/setup.sh installs them. No silent skipping. */
    static Path requireBrowserTools() throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(CHROMIUM))) {
            fail(CHROMIUM + " is missing: run deploy/setup.sh (it installs Debian's chromium)");
        }
        if (!Files.isDirectory(BROWSER_DIR.resolve("node_modules").resolve("playwright-core"))) {
            fail("playwright-core is not installed in workflow/" + BROWSER_DIR
                    + ": run deploy/setup.sh (npm ci there) before the browser test");
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path node = Path.of(dir.isEmpty() ? "." : dir, "node");
            if (Files.isExecutable(node)) {
                Process version = new ProcessBuilder(node.toString(), "--version").redirectErrorStream(true).start();
                String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (version.waitFor(10, TimeUnit.SECONDS) && version.exitValue() == 0 && text.matches("v(1[89]|[2-9]\\d)\\..*")) {
                    return node;
                }
                fail("Node.js 18 or newer is needed for the browser test, " + node + " is " + text + ": run deploy/setup.sh");
            }
        }
        fail("Node.js is not on the PATH (" + path + "): run deploy/setup.sh");
        return null;
    }

    private static Document xhtml(String div) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(div)));
    }

    static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
