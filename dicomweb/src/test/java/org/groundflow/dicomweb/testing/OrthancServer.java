package org.groundflow.dicomweb.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.groundflow.dicomweb.client.DicomWebEndpoint;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A private Orthanc with the DICOMweb plugin, started as a child process on a free loopback port with its storage,
 * index and log in a temporary directory. As a JUnit 5 extension:
 *
 * <pre>{@code
 * @RegisterExtension
 * static OrthancServer orthanc = new OrthancServer();
 * ... new DicomWebClient(orthanc.endpoint()) ...
 * }</pre>
 *
 * The tests of a class are skipped (not failed) when Orthanc or its DICOMweb plugin is not installed. Outside JUnit:
 * {@code try (OrthancServer orthanc = new OrthancServer().start()) { ... }}.
 */
public final class OrthancServer implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    public static final Path ORTHANC = Path.of("/usr/sbin/Orthanc");
    public static final Path DICOMWEB_PLUGIN = Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so");

    private static final Logger log = LoggerFactory.getLogger(OrthancServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final int START_ATTEMPTS = 3;

    private final Map<String, Object> settings = new LinkedHashMap<>();
    private Path directory;
    private Process process;
    private int port;

    /**
     * A top-level Orthanc configuration setting, e.g. {@code "OverwriteInstances", true}; takes effect at the next
     * start.
     *
     * @return this
     */
    public synchronized OrthancServer withSetting(String name, Object value) {
        settings.put(name, value);
        return this;
    }

    /** The process id of the running Orthanc. */
    public long pid() {
        requireRunning();
        return process.pid();
    }

    /** Whether Orthanc and the DICOMweb plugin are installed on this machine. */
    public static boolean isAvailable() {
        return Files.isExecutable(ORTHANC) && Files.isRegularFile(DICOMWEB_PLUGIN);
    }

    /**
     * Starts Orthanc and waits until its REST API answers; retries on another port if the chosen one was taken.
     *
     * @return this
     */
    public synchronized OrthancServer start() {
        if (process != null) {
            return this;
        }
        if (!isAvailable()) {
            throw new IllegalStateException("Orthanc is not installed (" + ORTHANC + ", " + DICOMWEB_PLUGIN + ")");
        }
        IllegalStateException failure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                launch();
                return this;
            } catch (IllegalStateException e) {
                failure = e;
                stop();
            }
        }
        throw failure;
    }

    /** The REST root, e.g. {@code http://127.0.0.1:41234}. */
    public String restUrl() {
        requireRunning();
        return "http://127.0.0.1:" + port;
    }

    /** The DICOMweb root, e.g. {@code http://127.0.0.1:41234/dicom-web}. */
    public String dicomWebUrl() {
        return restUrl() + "/dicom-web";
    }

    /** An endpoint for the DICOMweb root (Orthanc profile), with short retries suited to tests. */
    public DicomWebEndpoint endpoint() {
        return DicomWebEndpoint.orthanc(restUrl());
    }

    public Path directory() {
        requireRunning();
        return directory;
    }

    /** Orthanc's log file. */
    public Path logFile() {
        return directory().resolve("orthanc.log");
    }

    /** Deletes every patient (and so every study) stored, so a test can start empty. */
    public void clear() {
        try {
            JsonNode patients = JSON.readTree(request("GET", "/patients"));
            for (JsonNode id : patients) {
                request("DELETE", "/patients/" + id.asText());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear Orthanc", e);
        }
    }

    /** Stops Orthanc (SIGTERM, then SIGKILL after a timeout) and deletes its directory. */
    @Override
    public synchronized void close() {
        stop();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Assumptions.assumeTrue(isAvailable(), "Orthanc with the DICOMweb plugin is not installed");
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private void launch() {
        try {
            directory = Files.createTempDirectory("orthanc-");
            port = freePort();
            Path config = directory.resolve("orthanc.json");
            JSON.writerWithDefaultPrettyPrinter().writeValue(config.toFile(), configuration());
            ProcessBuilder builder = new ProcessBuilder(ORTHANC.toString(), "--logfile=" + directory.resolve("orthanc.log"),
                    config.toString())
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("orthanc.out").toFile());
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Orthanc: " + e.getMessage(), e);
        }
        awaitReady();
        log.info("Orthanc (pid {}) listening on port {}", process.pid(), port);
    }

    private Map<String, Object> configuration() {
        Map<String, Object> dicomWeb = new LinkedHashMap<>();
        dicomWeb.put("Enable", true);
        dicomWeb.put("Root", "/dicom-web/");
        dicomWeb.put("EnableWado", false);
        dicomWeb.put("StudiesMetadata", "Full");
        dicomWeb.put("SeriesMetadata", "Full");
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("Name", "groundflow-test");
        config.put("HttpPort", port);
        config.put("HttpServerEnabled", true);
        config.put("DicomServerEnabled", false);
        config.put("RemoteAccessAllowed", false);
        config.put("AuthenticationEnabled", false);
        config.put("StorageDirectory", directory.resolve("storage").toString());
        config.put("IndexDirectory", directory.resolve("index").toString());
        config.put("Plugins", List.of(DICOMWEB_PLUGIN.toString()));
        config.put("DicomWeb", dicomWeb);
        config.putAll(settings);
        return config;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Orthanc exited with " + process.exitValue() + " during start: " + outputTail());
            }
            try {
                request("GET", "/system");
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        throw new IllegalStateException("Orthanc did not answer within " + START_TIMEOUT + ": " + outputTail());
    }

    private String request(String method, String path) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setConnectTimeout(1000);
        connection.setReadTimeout(10_000);
        try {
            int status = connection.getResponseCode();
            if (status / 100 != 2) {
                throw new IOException(method + " " + path + " answered " + status);
            }
            return new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            connection.disconnect();
        }
    }

    private void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("Orthanc (pid {}) did not stop within {}; killing it", process.pid(), STOP_TIMEOUT);
                    process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            process = null;
        }
        if (directory != null) {
            deleteRecursively(directory);
            directory = null;
        }
    }

    private String outputTail() {
        StringBuilder text = new StringBuilder();
        for (String name : List.of("orthanc.out", "orthanc.log")) {
            try {
                Path file = directory.resolve(name);
                if (Files.exists(file)) {
                    String content = Files.readString(file, StandardCharsets.UTF_8);
                    text.append(name).append(": ").append(content.substring(Math.max(0, content.length() - 2000)));
                }
            } catch (IOException | UncheckedIOException e) {
                text.append(name).append(" unreadable");
            }
        }
        return text.toString();
    }

    private void requireRunning() {
        if (process == null) {
            throw new IllegalStateException("Orthanc is not running; call start() or register the extension");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Orthanc", e);
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    log.warn("Could not delete {}: {}", path, e.getMessage());
                }
            });
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", root, e.getMessage());
        }
    }
}
