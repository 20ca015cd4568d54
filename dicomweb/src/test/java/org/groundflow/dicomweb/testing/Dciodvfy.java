package org.groundflow.dicomweb.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/** Runs dicom3tools' {@code dciodvfy} (IOD validator) on a file; tests are skipped where it is not installed. */
public final class Dciodvfy {

    public static final Path BINARY = Path.of("/usr/bin/dciodvfy");

    private Dciodvfy() {
    }

    public static boolean isAvailable() {
        return Files.isExecutable(BINARY);
    }

    /** All output lines (errors and warnings); skips the calling test when dciodvfy is absent. */
    public static List<String> report(Path file) {
        Assumptions.assumeTrue(isAvailable(), "dciodvfy (dicom3tools) is not installed");
        try {
            Process process = new ProcessBuilder(BINARY.toString(), file.toString()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("dciodvfy did not finish on " + file);
            }
            return output.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The lines that report errors. */
    public static List<String> errors(Path file) {
        return report(file).stream().filter(line -> line.startsWith("Error")).toList();
    }
}
