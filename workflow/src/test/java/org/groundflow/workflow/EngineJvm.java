package org.groundflow.workflow;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Groundflow engine (or worker) in a JVM of its own, started from a main class on this module's runtime class path
 * (the exec jar is built after the tests), with its output in a file. Classes of the tests that the main class needs
 * are copied into a folder of their own and put on the class path, not the whole test class folder.
 */
final class EngineJvm {

    private final Path workDir;
    private final List<String> command;
    private final Map<String, String> environment;
    private Process process;
    private int runs;

    EngineJvm(Path workDir, String mainClass, List<Class<?>> testClasses, List<String> jvmOptions,
              List<String> arguments, Map<String, String> environment) {
        this.workDir = workDir;
        this.environment = environment;
        String java = ProcessHandle.current().info().command().orElse("java");
        this.command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Xmx768m", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", runtimeClassPath() + File.pathSeparator + copy(testClasses), mainClass));
        command.addAll(arguments);
        command.add("--groundflow.work-dir=" + workDir);
    }

    /** Starts the JVM (again); its output goes to {@code WORK/jvm-N.out}. */
    synchronized EngineJvm start() {
        try {
            Files.createDirectories(workDir);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("jvm-" + (++runs) + ".out").toFile());
            builder.environment().putAll(environment);
            process = builder.start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Waits for the JVM to end by itself; its exit status. */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the JVM still runs after " + seconds + " s; its output:\n" + tail());
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM, then SIGKILL after 30 s. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    /** The last lines of the latest run's output. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(workDir.resolve("jvm-" + runs + ".out"), StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This module's runtime class path: the test class path without test classes and test jars. */
    private static String runtimeClassPath() {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("-tests.jar"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** Copies the compiled test classes (with their nested classes) into a folder of their own. */
    private String copy(List<Class<?>> classes) {
        Path target = workDir.resolve("test-classes");
        try {
            for (Class<?> type : classes) {
                String path = type.getName().replace('.', '/');
                Path source = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve(path)
                        .getParent();
                String simple = path.substring(path.lastIndexOf('/') + 1);
                Path into = Files.createDirectories(target.resolve(path).getParent());
                try (Stream<Path> files = Files.list(source)) {
                    for (Path file : files.filter(f -> f.getFileName().toString().matches(
                            java.util.regex.Pattern.quote(simple) + "(\\$.*)?\\.class")).toList()) {
                        Files.copy(file, into.resolve(file.getFileName()),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            return target.toString();
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot copy test classes " + classes, e);
        }
    }
}
