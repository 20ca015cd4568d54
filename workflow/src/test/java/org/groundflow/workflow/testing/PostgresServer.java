package org.groundflow.workflow.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway PostgreSQL cluster for tests: {@code initdb} in a temporary folder, the server on a free loopback port,
 * run as a non-root user (the {@code postgres} system account when the tests run as root), stopped by the PID in its
 * {@code postmaster.pid} and deleted afterwards.
 *
 * <pre>{@code
 * try (PostgresServer pg = new PostgresServer().start()) {
 *     String url = pg.createDatabase("engine");   // jdbc:postgresql://127.0.0.1:PORT/engine
 * }
 * }</pre>
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "groundflow";

    private static final Logger log = LoggerFactory.getLogger(PostgresServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final String SERVICE_ACCOUNT = "postgres";

    private Path directory;
    private Process process;
    private int port;

    /** The folder holding PostgreSQL's programs (the newest installed major version), if any. */
    public static Optional<Path> binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("postgres")))
                    .max(Comparator.comparingInt(bin -> majorVersion(bin.getParent())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static boolean isAvailable() {
        return binaries().isPresent();
    }

    /**
     * Creates the cluster and starts the server; waits until it accepts connections.
     *
     * @return this
     */
    public synchronized PostgresServer start() {
        if (process != null) {
            return this;
        }
        Path bin = binaries().orElseThrow(() -> new IllegalStateException(
                "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): install Debian's postgresql"));
        try {
            directory = Files.createTempDirectory("groundflow-pg-");
            Path data = directory.resolve("data");
            if (runsAsRoot()) {
                run(List.of("chown", "-R", SERVICE_ACCOUNT, directory.toString()), Duration.ofSeconds(10));
            }
            run(asServiceAccount(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER,
                    "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")), Duration.ofSeconds(60));
            port = freePort();
            List<String> server = asServiceAccount(List.of(bin.resolve("postgres").toString(), "-D", data.toString(),
                    "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1",
                    "-c", "unix_socket_directories=" + directory, "-c", "fsync=off", "-c", "synchronous_commit=off",
                    "-c", "full_page_writes=off", "-c", "max_connections=200"));
            process = new ProcessBuilder(server).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("postgres.log").toFile()).start();
            awaitReady();
            log.info("PostgreSQL started on 127.0.0.1:{} (pid {}) in {}", port, postmasterPid().orElse(-1L), directory);
            return this;
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot start PostgreSQL", e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /** JDBC URL of {@code database} on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /**
     * Creates an empty database owned by {@link #USER}.
     *
     * @return its JDBC URL
     */
    public String createDatabase(String database) {
        if (!database.matches("[a-z][a-z0-9_]{0,40}")) {
            throw new IllegalArgumentException("database name must be lower-case letters, digits and _, got: " + database);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database + ": " + e.getMessage(), e);
        }
        return jdbcUrl(database);
    }

    /** The server's main process id, read from {@code postmaster.pid}. */
    public Optional<Long> postmasterPid() {
        Path pidFile = directory == null ? null : directory.resolve("data").resolve("postmaster.pid");
        if (pidFile == null || !Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            String first = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).get(0).strip();
            return Optional.of(Long.parseLong(first));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The CPU time the server's processes (the postmaster and its live children: backends, writers) have used so far;
     * zero when it does not run.
     */
    public Duration cpuTime() {
        Optional<ProcessHandle> postmaster = postmasterPid().flatMap(ProcessHandle::of);
        return postmaster.map(p -> Stream.concat(Stream.of(p), p.descendants())
                        .map(h -> h.info().totalCpuDuration().orElse(Duration.ZERO))
                        .reduce(Duration.ZERO, Duration::plus))
                .orElse(Duration.ZERO);
    }

    /** Stops the server (fast shutdown by PID, SIGKILL after a timeout) and deletes the cluster. */
    @Override
    public synchronized void close() {
        Optional<ProcessHandle> postmaster = postmasterPid().flatMap(ProcessHandle::of);
        postmaster.ifPresent(p -> signal(p, "INT"));
        if (process != null) {
            try {
                if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    postmaster.ifPresent(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
        if (directory != null) {
            deleteTree(directory);
            directory = null;
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("PostgreSQL exited at start: " + tail(directory.resolve("postgres.log")));
            }
            try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, "")) {
                return;
            } catch (SQLException e) {
                last = e;
            }
            sleep(100);
        }
        throw new IllegalStateException("PostgreSQL did not accept connections within " + START_TIMEOUT + ": "
                + (last == null ? "" : last.getMessage()) + " " + tail(directory.resolve("postgres.log")));
    }

    private static void signal(ProcessHandle process, String name) {
        try {
            new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            process.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> asServiceAccount(List<String> command) {
        if (!runsAsRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", SERVICE_ACCOUNT, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static boolean runsAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(List<String> command, Duration timeout) {
        try {
            Path output = Files.createTempFile("groundflow-pg-cmd-", ".log");
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
                if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(command.get(0) + " did not finish within " + timeout);
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): "
                            + tail(output));
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    private static int majorVersion(Path versionDir) {
        try {
            return Integer.parseInt(versionDir.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", root, e.getMessage());
        }
    }
}
