package org.groundflow.dicomweb.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs a check script of another toolchain (Python, Node) whose last output line is a JSON result with "ok". Tools
 * that are missing fail the test with a message naming deploy/setup.sh: these checks are never skipped.
 */
public final class ExternalCheck {

    public static final Path PYTHON = Path.of("/usr/bin/python3");
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExternalCheck() {
    }

    /**
     * Runs the command with the environment added, output (stdout and stderr) to {@code log}.
     *
     * @return the result line, after asserting exit 0 and "ok": true
     */
    public static JsonNode run(List<String> command, Map<String, String> environment, Path log, Duration timeout) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail(String.join(" ", command) + " did not finish within " + timeout + "; its output:\n" + Files.readString(log));
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            List<String> lines = output.lines().filter(l -> l.startsWith("{")).toList();
            if (lines.isEmpty()) {
                fail(String.join(" ", command) + " exited " + process.exitValue() + " without a result line; output:\n" + output);
            }
            JsonNode result = JSON.readTree(lines.get(lines.size() - 1));
            if (process.exitValue() != 0 || !result.path("ok").asBoolean()) {
                fail(String.join(" ", command) + " exited " + process.exitValue() + ": " + result.path("problems")
                        + "\noutput:\n" + output);
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Debian's python3 with pydicom and numpy. */
    public static Path requirePydicom() {
        if (!Files.isExecutable(PYTHON)) {
            fail(PYTHON + " is missing: run deploy/setup.sh (it installs python3-pydicom and python3-numpy)");
        }
        try {
            Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import pydicom, numpy").redirectErrorStream(true).start();
            String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
                fail("pydicom or numpy is missing for " + PYTHON + ": run deploy/setup.sh (python3-pydicom, python3-numpy): " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return PYTHON;
    }

    /** Node 18+ on the PATH. */
    public static Path requireNode() {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path node = Path.of(dir.isEmpty() ? "." : dir, "node");
            if (Files.isExecutable(node)) {
                try {
                    Process version = new ProcessBuilder(node.toString(), "--version").redirectErrorStream(true).start();
                    String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                    if (version.waitFor(10, TimeUnit.SECONDS) && text.matches("v(1[89]|[2-9]\\d)\\..*")) {
                        return node;
                    }
                    fail("Node.js 18 or newer is needed, " + node + " is " + text + ": run deploy/setup.sh");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        fail("Node.js is not on the PATH (" + path + "): run deploy/setup.sh");
        return null;
    }
}
