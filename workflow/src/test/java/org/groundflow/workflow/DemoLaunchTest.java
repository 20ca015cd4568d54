package org.groundflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.groundflow.workflow.app.GroundflowApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's services started with the launch lines that deploy/run.sh uses (deploy/launch.sh): Orthanc, the OHIF
 * viewer and the application, here with a stub model server so that a model token is configured too. The application
 * runs from its main class on this module's runtime class path, since the exec jar is built after the tests.
 * Checked: no password or token on any process's command line, the secrets file mode 600, no secret in any log, the
 * secrets reach the application, the application runs on jemalloc (deploy/allocator.bash), and every listening socket
 * of these processes is on loopback (Orthanc 1.10 cannot bind to one address: then it must refuse a client that is
 * not on loopback).
 */
class DemoLaunchTest {

    private static final Path LAUNCH = Path.of("../deploy/launch.sh").toAbsolutePath().normalize();
    private static final Path LISTENING = Path.of("../deploy/listening.sh").toAbsolutePath().normalize();
    private static final Path CARD = Path.of("../inference/src/main/resources/org/groundflow/inference/demo-model/model.json");
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "::1");

    @TempDir
    static Path runDir;

    private static final List<Process> services = new ArrayList<>();
    private static final List<String> modelAuthorizations = new CopyOnWriteArrayList<>();
    private static HttpServer model;
    private static Process orthanc;
    private static Process ohif;
    private static Process app;
    private static int orthancPort;
    private static int appPort;
    private static String modelToken;
    private static String adminPassword;
    private static String radiologistPassword;

    @BeforeAll
    static void launch() throws IOException, InterruptedException {
        modelToken = "model-" + UUID.randomUUID();
        model = stubModelServer(modelToken);
        orthancPort = freePort();
        appPort = freePort();
        int ohifPort = freePort();
        Path dist = Files.createDirectories(runDir.resolve("ohif-dist"));
        Files.writeString(dist.resolve("index.html"), "<!doctype html><title>viewer</title>");
        Map<String, String> env = Map.of("GROUNDFLOW_RUN_DIR", runDir.toString(),
                "ORTHANC_PORT", Integer.toString(orthancPort), "OHIF_PORT", Integer.toString(ohifPort),
                "GROUNDFLOW_PORT", Integer.toString(appPort), "OHIF_DIST", dist.toString(),
                "GROUNDFLOW_MODEL_URL", "http://127.0.0.1:" + model.getAddress().getPort(),
                "GROUNDFLOW_MODEL_TOKEN", modelToken);

        orthanc = start(env, "orthanc.out", "orthanc");
        awaitStatus("http://127.0.0.1:" + orthancPort + "/system", 200, orthanc, 30);
        ohif = start(env, "ohif.out", "ohif");
        awaitStatus("http://127.0.0.1:" + ohifPort + "/", 200, ohif, 30);
        String java = ProcessHandle.current().info().command().orElse("java");
        app = start(env, "app.out", "app", java, "-XX:TieredStopAtLevel=1", "-cp", runtimeClassPath(),
                GroundflowApplication.class.getName());
        Path studyUid = runDir.resolve("app/demo-study-uid");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!Files.isRegularFile(studyUid) && app.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertThat(studyUid).as("the application loaded the demo study; its output:\n%s",
                tail(runDir.resolve("app.out"))).isRegularFile();

        List<String> credentials = Files.readAllLines(runDir.resolve("demo-credentials"));
        adminPassword = value(credentials, "admin_password");
        radiologistPassword = value(credentials, "radiologist_password");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (Process process : services) {
            process.destroy();
        }
        for (Process process : services) {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (model != null) {
            model.stop(0);
        }
    }

    @Test
    void noProcessHasAPasswordOrTheTokenOnItsCommandLine() throws IOException {
        List<String> commandLines = new ArrayList<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                if (process.getFileName().toString().matches("\\d+")) {
                    commandLine(process).ifPresent(commandLines::add);
                }
            }
        }
        assertThat(commandLine(Path.of("/proc", Long.toString(app.pid())))).as("the application's command line")
                .hasValueSatisfying(line -> assertThat(line)
                        .contains("--spring.config.import=file:" + runDir.resolve("app/secrets.properties"))
                        .contains("--server.address=127.0.0.1"));
        assertThat(commandLines).hasSizeGreaterThan(3).noneSatisfy(line -> assertThat(line)
                .containsAnyOf(adminPassword, radiologistPassword, modelToken));
    }

    @Test
    void theApplicationRunsOnJemalloc() throws IOException {
        assertThat(Files.readString(Path.of("/proc", Long.toString(app.pid()), "maps")))
                .as("the libraries mapped into the application's JVM").contains("/libjemalloc.so.2");
        assertThat(Files.readString(Path.of("/proc", Long.toString(app.pid()), "environ")).split("\u0000"))
                .contains("MALLOC_CONF=oversize_threshold:0,dirty_decay_ms:30000,muzzy_decay_ms:30000");
    }

    @Test
    void theSecretsFilesAreMode600() throws IOException {
        for (Path file : List.of(runDir.resolve("app/secrets.properties"), runDir.resolve("demo-credentials"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
                    .isEqualTo("rw-------");
        }
        assertThat(Files.readString(runDir.resolve("app/secrets.properties")))
                .contains("camunda.bpm.admin-user.password=" + adminPassword)
                .contains("groundflow.demo.radiologist-password=" + radiologistPassword)
                .contains("groundflow.model.remote-token=" + modelToken);
    }

    @Test
    void noLogHoldsASecret() throws IOException {
        assertThat(Files.readString(runDir.resolve("app/groundflow.log")))
                .contains("Started GroundflowApplication").contains("stored in the PACS");
        List<Path> logs;
        try (Stream<Path> files = Files.walk(runDir)) {
            logs = files.filter(Files::isRegularFile).filter(f -> f.toString().matches(".*\\.(log|out)$")).toList();
        }
        assertThat(logs).extracting(f -> f.getFileName().toString())
                .contains("groundflow.log", "app.out", "ohif.out", "orthanc.out");
        for (Path log : logs) {
            assertThat(Files.readString(log, StandardCharsets.ISO_8859_1)).as(log.toString())
                    .doesNotContain(adminPassword).doesNotContain(radiologistPassword).doesNotContain(modelToken);
        }
    }

    @Test
    void theSecretsReachTheApplication() throws IOException {
        String base = "http://127.0.0.1:" + appPort;
        assertThat(status(base + "/actuator/prometheus", "admin", adminPassword)).isEqualTo(200);
        assertThat(status(base + "/api/reviews", "radiologist", radiologistPassword)).isEqualTo(200);
        assertThat(status(base + "/api/reviews", "nobody", radiologistPassword)).isEqualTo(401);
        assertThat(modelAuthorizations).isNotEmpty().containsOnly("Bearer " + modelToken);
    }

    @Test
    void everyServiceListensOnLoopbackOnly() throws IOException, InterruptedException {
        for (Process service : List.of(app, ohif)) {
            assertThat(listening(service)).as("listening sockets of pid %d", service.pid()).isNotEmpty()
                    .allSatisfy(socket -> assertThat(socket[0]).as(String.join(" ", socket)).isIn(LOOPBACK));
        }
        List<String[]> pacs = listening(orthanc);
        assertThat(pacs).as("Orthanc's sockets").isNotEmpty()
                .allSatisfy(socket -> assertThat(socket[0]).isIn("127.0.0.1", "::1", "0.0.0.0", "::"));
        if (pacs.stream().anyMatch(socket -> !LOOPBACK.contains(socket[0]))) {
            // Orthanc 1.10 binds every interface: a client that is not on loopback must be refused
            for (InetAddress address : nonLoopbackAddresses()) {
                assertThat(status("http://" + address.getHostAddress() + ":" + orthancPort + "/system", null, null))
                        .as("Orthanc asked from %s", address).isEqualTo(401);
            }
        }
    }

    /** "address port" of every listening TCP socket of the process and its descendants (deploy/listening.sh). */
    private static List<String[]> listening(Process service) throws IOException, InterruptedException {
        Process listing = new ProcessBuilder(LISTENING.toString(), Long.toString(service.pid()))
                .redirectErrorStream(true).start();
        String out = new String(listing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(listing.waitFor()).as(out).isZero();
        return out.lines().map(line -> line.split(" ")).map(f -> new String[] {f[1], f[2]}).toList();
    }

    private static List<InetAddress> nonLoopbackAddresses() throws SocketException {
        List<InetAddress> addresses = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                nic.inetAddresses().filter(Inet4Address.class::isInstance).forEach(addresses::add);
            }
        }
        return addresses;
    }

    private static Process start(Map<String, String> env, String output, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(LAUNCH.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(runDir.resolve(output).toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        services.add(process);
        return process;
    }

    /** This module's runtime class path: the test class path without test classes and test jars. */
    private static String runtimeClassPath() {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("-tests.jar"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** A model server that serves the demo model's card to callers with the token and records what they sent. */
    private static HttpServer stubModelServer(String token) throws IOException {
        byte[] card = Files.readAllBytes(CARD);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            modelAuthorizations.add(String.valueOf(authorization));
            boolean allowed = ("Bearer " + token).equals(authorization);
            byte[] body = !allowed ? "{\"error\":{\"code\":\"unauthorised\",\"message\":\"token\"}}".getBytes()
                    : exchange.getRequestURI().getPath().equals("/v1/model") ? card
                    : "{\"status\":\"ok\"}".getBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(allowed ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static void awaitStatus(String url, int expected, Process process, int seconds)
            throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (status(url, null, null) == expected) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(url + " did not answer " + expected + " within " + seconds + " s");
    }

    private static int status(String url, String user, String password) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setConnectTimeout(2000);
        connection.setReadTimeout(10_000);
        if (user != null) {
            connection.setRequestProperty("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return connection.getResponseCode();
        } finally {
            connection.disconnect();
        }
    }

    /** The process's arguments joined by spaces; empty when it ended or cannot be read. */
    private static Optional<String> commandLine(Path process) {
        try (InputStream in = Files.newInputStream(process.resolve("cmdline"))) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).replace('\0', ' '));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String value(List<String> lines, String key) {
        return lines.stream().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1))
                .findFirst().orElseThrow(() -> new IllegalStateException("no " + key + " in demo-credentials"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
