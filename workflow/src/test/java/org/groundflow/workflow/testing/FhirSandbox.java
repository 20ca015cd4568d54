package org.groundflow.workflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real FHIR server of the demo (HAPI FHIR JPA, module deploy/fhir-server) as a child process on a free loopback
 * port with an in-memory database, started and stopped by PID through {@code deploy/fhir-server.sh}; its state and log
 * under {@code target/fhir-sandbox}. It can be stopped and started again on the same port (an outage; the in-memory
 * database starts empty then). Counts what it holds through FHIR search.
 */
public final class FhirSandbox implements AutoCloseable {

    private static final Path SCRIPT = Path.of("../deploy/fhir-server.sh").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path runDir;
    private final int port;

    public FhirSandbox(Path runDir) {
        this.runDir = runDir;
        this.port = freePort();
    }

    /** Whether the module is built (its classes and class path file), so that starting it builds nothing. */
    public static boolean isBuilt() {
        Path module = SCRIPT.getParent().resolve("fhir-server/target");
        return Files.isRegularFile(module.resolve("fhir-server.classpath")) && Files.isDirectory(module.resolve("classes"));
    }

    /**
     * Fails unless the module is built: the root build orders deploy/fhir-server before this module, so a test that
     * needs the server never skips silently; a build of this module alone needs
     * {@code mvn -pl deploy/fhir-server -am package -DskipTests} first.
     */
    public static void requireBuilt() {
        if (!isBuilt()) {
            throw new IllegalStateException("deploy/fhir-server is not built (no target/classes and fhir-server.classpath):"
                    + " run the whole build, or mvn -pl deploy/fhir-server -am package -DskipTests first");
        }
    }

    public FhirSandbox start() {
        String said = script("start");
        if (!said.contains("fhir-server: ready at")) {
            throw new IllegalStateException("deploy/fhir-server.sh start did not report ready: " + said);
        }
        return this;
    }

    /** Stops the server by its PID (TERM, then KILL after 20 s). */
    public void stop() {
        script("stop");
    }

    @Override
    public void close() {
        stop();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port + "/fhir";
    }

    /** The number of resources a search finds, e.g. {@code count("DiagnosticReport?identifier=read-1")}. */
    public int count(String search) {
        String url = baseUrl() + "/" + search + (search.contains("?") ? "&" : "?") + "_summary=count";
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setRequestProperty("Accept", "application/fhir+json");
            c.setConnectTimeout(5000);
            c.setReadTimeout(30_000);
            if (c.getResponseCode() != 200) {
                throw new IllegalStateException("FHIR search " + search + " answered " + c.getResponseCode());
            }
            JsonNode bundle = JSON.readTree(c.getInputStream());
            return bundle.path("total").asInt(-1);
        } catch (IOException e) {
            throw new UncheckedIOException("FHIR search " + search, e);
        }
    }

    private String script(String command) {
        try {
            Files.createDirectories(runDir);
            ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString(), command).redirectErrorStream(true);
            builder.environment().putAll(Map.of("FHIR_PORT", Integer.toString(port), "GROUNDFLOW_RUN_DIR",
                    runDir.toString(), "FHIR_DB", "mem", "FHIR_START_TIMEOUT", "240",
                    "FHIR_JAVA_OPTS", "-XX:TieredStopAtLevel=1"));
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(300, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("deploy/fhir-server.sh " + command + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("deploy/fhir-server.sh " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: deploy/fhir-server.sh " + command, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
