package org.groundflow.dicomweb.transport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * Replaces a file all at once: the content goes to a temporary file beside it, which is then renamed over the target
 * ({@link StandardCopyOption#ATOMIC_MOVE}), so a reader on this or another node sees the old file or the new one,
 * never half of one. The one implementation for every module's files that other steps or processes read (the read
 * store, result files, bundles written instead of sent); it lives here because every module depends on this one.
 */
public final class AtomicFiles {

    /** Writes a file's content to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Replaces {@code file} with {@code bytes}, creating its folder if needed; returns the file. */
    public static Path write(Path file, byte[] bytes) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        return write(file, out -> out.write(bytes));
    }

    /**
     * Replaces {@code file} with what {@code content} writes, creating its folder if needed; returns the file. When
     * writing fails, the file is left as it was and no temporary file remains.
     */
    public static Path write(Path file, Content content) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(content, "content");
        Path target = file.toAbsolutePath();
        Path dir = Files.createDirectories(target.getParent());
        Path partial = Files.createTempFile(dir, "." + target.getFileName(), ".part");
        try {
            try (OutputStream out = Files.newOutputStream(partial)) {
                content.writeTo(out);
            }
            return Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
