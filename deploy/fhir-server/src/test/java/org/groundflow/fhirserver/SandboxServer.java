package org.groundflow.fhirserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FHIR sandbox server started once for all test classes that ask for it (as a parameter), the way deploy/run.sh
 * starts it: {@code deploy/fhir-server.sh start} on a free loopback port with an in-memory database, its state and
 * log under target/sandbox/fhir; stopped by {@code deploy/fhir-server.sh stop} (by its PID) when the tests end.
 */
public final class SandboxServer implements ExtensionContext.Store.CloseableResource {

    /** Registers the shared server as a test parameter: {@code @ExtendWith(SandboxServer.Extension.class)}. */
    public static final class Extension implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == SandboxServer.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .getOrComputeIfAbsent(SandboxServer.class, k -> start(), SandboxServer.class);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(SandboxServer.class);
    private static final Path SCRIPT = Path.of("../fhir-server.sh").toAbsolutePath().normalize();
    private static final Path RUN_DIR = Path.of("target/sandbox").toAbsolutePath();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);

    private final int port;
    private final long pid;
    private final String baseUrl;

    private SandboxServer(int port, long pid) {
        this.port = port;
        this.pid = pid;
        this.baseUrl = "http://127.0.0.1:" + port + "/fhir";
    }

    /** The FHIR base URL, e.g. http://127.0.0.1:PORT/fhir. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The server's process id. */
    public long pid() {
        return pid;
    }

    static SandboxServer start() {
        try {
            int port = freePort();
            long begin = System.nanoTime();
            String said = script("start", port);
            if (!said.contains("fhir-server: ready at")) {
                throw new IllegalStateException("deploy/fhir-server.sh start did not report ready: " + said);
            }
            long pid = Long.parseLong(Files.readString(RUN_DIR.resolve("fhir/server.pid")).strip());
            SandboxServer server = new SandboxServer(port, pid);
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "fhir-sandbox-stop"));
            LOG.info("FHIR sandbox server (pid {}) ready at {} after {} ms", pid, server.baseUrl,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("the FHIR sandbox server cannot be started", e);
        }
    }

    /** Stops the server by its PID (deploy/fhir-server.sh stop: SIGTERM, then SIGKILL after 20 s). */
    void stop() {
        try {
            script("stop", port);
        } catch (IOException | IllegalStateException e) {
            LOG.warn("deploy/fhir-server.sh stop failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        stop();
        LOG.info("FHIR sandbox server (pid {}) stopped", pid);
    }

    /** Runs deploy/fhir-server.sh COMMAND for this port; returns what it printed, or throws when it failed. */
    private static String script(String command, int port) throws IOException {
        Files.createDirectories(RUN_DIR);
        ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString(), command).redirectErrorStream(true);
        builder.environment().putAll(Map.of("FHIR_PORT", Integer.toString(port), "GROUNDFLOW_RUN_DIR",
                RUN_DIR.toString(), "FHIR_DB", "mem", "FHIR_START_TIMEOUT", Long.toString(START_TIMEOUT.toSeconds()),
                "FHIR_JAVA_OPTS", "-XX:TieredStopAtLevel=1"));
        Process process = builder.start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("deploy/fhir-server.sh " + command + " failed: " + output);
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while deploy/fhir-server.sh " + command + " ran", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
