package org.groundflow.workflow.read;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import org.groundflow.dicomweb.transport.AtomicFiles;
import org.groundflow.inference.Interpretation;
import org.groundflow.review.SignOff;
import org.groundflow.workflow.config.GroundflowProperties;
import org.springframework.stereotype.Component;

/**
 * Where a read's bulky state lives between process steps, keyed by read id: the retrieved series, the draft
 * interpretation and its masks, the sign-off and the published objects. Process variables hold only ids.
 * Files are replaced atomically, so a step retried on this or another node sees either the old or the new state.
 */
@Component
public class ReadStore {

    private static final Pattern READ_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final Path root;
    private final ObjectMapper json;

    public ReadStore(GroundflowProperties properties, ObjectMapper json) {
        this.root = properties.workDir().resolve("reads").toAbsolutePath().normalize();
        this.json = json;
    }

    public static boolean isReadId(String readId) {
        return readId != null && READ_ID.matcher(readId).matches();
    }

    public Path readDir(String readId) {
        if (!isReadId(readId)) {
            throw new IllegalArgumentException("read id must be a lower-case UUID, got: " + readId);
        }
        return root.resolve(readId);
    }

    /** An empty folder for the series' instances (emptied first, so a retried retrieval starts clean). */
    public Path freshSourceDir(String readId) {
        Path dir = readDir(readId).resolve("source");
        try {
            if (Files.exists(dir)) {
                try (var files = Files.list(dir)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        Files.delete(file);
                    }
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare source folder of read " + readId, e);
        }
    }

    public Path sourceDir(String readId) {
        return readDir(readId).resolve("source");
    }

    public Path masksFile(String readId) {
        return readDir(readId).resolve("masks.bin");
    }

    public Path segFile(String readId) {
        return readDir(readId).resolve("seg.dcm");
    }

    public void saveInterpretation(String readId, Interpretation interpretation) {
        writeJson(readId, "interpretation.json", interpretation);
    }

    public Optional<Interpretation> interpretation(String readId) {
        return readJson(readId, "interpretation.json", Interpretation.class);
    }

    public void saveSignOff(String readId, SignOff signOff) {
        writeJson(readId, "signoff.json", signOff);
    }

    public Optional<SignOff> signOff(String readId) {
        return readJson(readId, "signoff.json", SignOff.class);
    }

    /** Writes {@code bytes} to {@code name} in the read's folder, replacing it atomically. */
    public Path write(String readId, String name, byte[] bytes) {
        try {
            return AtomicFiles.write(readDir(readId).resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + name + " of read " + readId, e);
        }
    }

    private void writeJson(String readId, String name, Object value) {
        try {
            write(readId, name, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + name + " of read " + readId, e);
        }
    }

    private <T> Optional<T> readJson(String readId, String name, Class<T> type) {
        Path file = readDir(readId).resolve(name);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(file.toFile(), type));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + " of read " + readId, e);
        }
    }
}
