package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;

/**
 * A radiologist amends a signed read in the review UI, in headless Chromium: reopens it from the worklist's amend form,
 * finds the signed decisions as the starting point, accepts the finding rejected at sign-off and signs again; the read
 * then has two revisions, the second published with every finding kept.
 */
class AmendUiBrowserTest extends ApplicationTest {

    static final Path SCRIPT = ReviewUiBrowserTest.BROWSER_DIR.resolve("amend.test.mjs");
    static final Path ARTIFACTS = Path.of("target", "review-ui-amend");

    @LocalServerPort
    int port;
    @Autowired
    DicomWebClient pacs;

    @Test
    void aSignedReadIsAmendedInTheBrowser() throws Exception {
        Path node = ReviewUiBrowserTest.requireBrowserTools();
        ReviewUiFixture.Read read = ReviewUiFixture.awaitingReview(this, pacs, "ui-amend");
        int count = read.view().path("findings").size();
        List<Map<String, Object>> decisions = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            decisions.add(Map.of("finding", n, "decision", n == count ? "reject" : "accept"));
        }
        String taskId = ReviewUiFixture.task(this, read.readId()).path("taskId").asText();
        assertThat(as(RADIOLOGIST).postForEntity("/api/reviews/" + taskId,
                Map.of("decisions", decisions, "impression", "Signed before the amendment."), JsonNode.class)
                .getStatusCode()).isEqualTo(HttpStatus.OK);
        ReviewUiFixture.awaitState(this, read.readId(), "COMPLETED");

        Files.createDirectories(ARTIFACTS);
        Path log = ARTIFACTS.resolve("browser.log");
        ProcessBuilder browser = new ProcessBuilder(node.toString(), SCRIPT.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        browser.environment().putAll(Map.of("BASE_URL", "http://127.0.0.1:" + port, "USER", RADIOLOGIST,
                "PASSWORD", PASSWORD, "READ_ID", read.readId(), "CHROMIUM", ReviewUiBrowserTest.CHROMIUM,
                "SCREENSHOT", ARTIFACTS.resolve("amend-task.png").toAbsolutePath().toString()));
        Process process = browser.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("the browser test did not finish in 90 s; its output:\n" + Files.readString(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("browser test exit code; output:\n%s", output).isZero();
        List<String> lines = output.lines().filter(l -> l.startsWith("{")).toList();
        assertThat(lines).as("browser test output:\n%s", output).isNotEmpty();
        JsonNode result = ReviewUiBrowserTest.readJson(lines.get(lines.size() - 1));
        assertThat(result.path("accepted").asInt()).isEqualTo(count);

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode view = as(RADIOLOGIST).getForObject("/api/reads/" + read.readId(), JsonNode.class);
            assertThat(view.path("revisions")).hasSize(2);
            assertThat(view.path("revisions").get(1).path("kept").asInt()).isEqualTo(count);
            assertThat(view.path("revisions").get(1).path("segSopInstanceUid").asText()).startsWith("2.25.");
            assertThat(view.path("findings")).allSatisfy(f -> assertThat(f.path("decision").asText()).isEqualTo("accept"));
        });
    }
}
