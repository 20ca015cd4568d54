package org.groundflow.inference;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * inference/remote/server.py run for real with Debian's Python and torch, on its default host (loopback) and a free
 * port, serving a model package with a random bearer token given in its environment; stopped by its process id. Its
 * log goes to target/reference-server.log.
 */
final class ReferenceServer implements AutoCloseable {

    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path REMOTE = Path.of("remote").toAbsolutePath();

    private final Process process;
    private final String url;
    private final String token;

    private ReferenceServer(Process process, String url, String token) {
        this.process = process;
        this.url = url;
        this.token = token;
    }

    /** Whether this machine has what the server needs (deploy/setup.sh installs python3-torch). */
    static boolean available() {
        return Files.isExecutable(PYTHON) && Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/torch"))
                && Files.isRegularFile(REMOTE.resolve("server.py"));
    }

    static ReferenceServer start(Path modelPackage) throws IOException {
        String token = UUID.randomUUID().toString();
        ProcessBuilder builder = new ProcessBuilder(PYTHON.toString(), REMOTE.resolve("server.py").toString(),
                "--package", modelPackage.toString(), "--port", "0", "--threads", "2")
                .redirectError(ProcessBuilder.Redirect.appendTo(new File("target/reference-server.log")));
        builder.environment().put("GROUNDFLOW_MODEL_TOKEN", token);
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(60, TimeUnit.SECONDS);
            if (line == null || !line.startsWith("listening on ")) {
                throw new IOException("server.py did not start (see target/reference-server.log), said: " + line);
            }
            return new ReferenceServer(process, line.substring("listening on ".length()).trim(), token);
        } catch (InterruptedException | ExecutionException | TimeoutException | IOException e) {
            process.toHandle().destroyForcibly();
            throw new IOException("server.py did not start within 60 s: " + e, e);
        }
    }

    String url() {
        return url;
    }

    /** The bearer token every request must carry. */
    String token() {
        return token;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        process.toHandle().destroy(); // SIGTERM to this pid only
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.toHandle().destroyForcibly();
        }
    }
}
