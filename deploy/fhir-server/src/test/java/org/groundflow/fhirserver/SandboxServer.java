package org.groundflow.fhirserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FHIR sandbox server as a child process of the test JVM, started once for all test classes that ask for it
 * (as a parameter) and stopped by its PID when the tests end. It runs from target/classes and the runtime class path
 * the build wrote, on a free loopback port, with an in-memory database.
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
    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);

    private final Process process;
    private final String baseUrl;

    private SandboxServer(Process process, String baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    /** The FHIR base URL, e.g. http://127.0.0.1:PORT/fhir. */
    public String baseUrl() {
        return baseUrl;
    }

    static SandboxServer start() {
        try {
            int port = freePort();
            Path target = Path.of("target");
            String classpath = target.resolve("classes") + java.io.File.pathSeparator
                    + Files.readString(target.resolve("fhir-server.classpath"), StandardCharsets.UTF_8).trim();
            Path log = target.resolve("fhir-server-test.log");
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx512m", "-XX:TieredStopAtLevel=1",
                    "-cp", classpath, FhirSandboxServer.class.getName(),
                    "--server.port=" + port,
                    "--groundflow.fhir-server.jdbc-url=jdbc:h2:mem:fhir-test;DB_CLOSE_DELAY=-1"))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            long begin = System.nanoTime();
            Process process = builder.start();
            SandboxServer server = new SandboxServer(process, "http://127.0.0.1:" + port + "/fhir");
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "fhir-sandbox-stop"));
            server.awaitReady(log);
            LOG.info("FHIR sandbox server (pid {}) ready at {} after {} ms", process.pid(), server.baseUrl,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("the FHIR sandbox server cannot be started", e);
        }
    }

    private void awaitReady(Path log) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the FHIR sandbox server exited with " + process.exitValue()
                        + " before it was ready; its log:\n" + tail(log));
            }
            if (answers(baseUrl + "/metadata")) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stop();
        throw new IllegalStateException("the FHIR sandbox server was not ready within " + START_TIMEOUT
                + "; its log:\n" + tail(log));
    }

    private static boolean answers(String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(30_000);
            try {
                return connection.getResponseCode() == 200;
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the server by its PID: SIGTERM, then SIGKILL if it has not ended after 15 s. */
    void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        stop();
        LOG.info("FHIR sandbox server (pid {}) stopped", process.pid());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
