package org.groundflow.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Python unit tests of inference/remote (contract, canonical model grid, UniBiomed adapter on recorded outputs),
 * run by the build, and the UniBiomed card that the adapter serves.
 */
class ReferenceServerPythonTest {

    @Test
    void pythonUnitTestsPass() throws IOException, InterruptedException {
        Assumptions.assumeTrue(ReferenceServer.available(), "/usr/bin/python3 with python3-torch is not installed");
        Process process = new ProcessBuilder(ReferenceServer.PYTHON.toString(), "-m", "unittest", "discover",
                "-s", ReferenceServer.REMOTE.resolve("tests").toString(), "-t", ReferenceServer.REMOTE.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("OK");
    }

    @Test
    void theUniBiomedCardIsAValidServedCard() throws IOException {
        ModelCard card = ModelCardReader.readRemote(
                Files.readAllBytes(ReferenceServer.REMOTE.resolve("unibiomed/model.json")), "unibiomed");
        assertThat(card.file()).isNull();
        assertThat(card.input().channels()).isEqualTo(3);
        assertThat(card.labels()).extracting(ModelCard.Label::name).containsExactly("nodule", "cyst");
    }
}
