package org.groundflow.dicomweb.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replacing a file all at once: new folders, replacement, and a failed write that leaves the old file alone. */
class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writesIntoANewFolderAndReplacesAnExistingFile() throws IOException {
        Path file = dir.resolve("a/b/result.json");

        assertThat(AtomicFiles.write(file, bytes("first"))).isEqualTo(file.toAbsolutePath());
        AtomicFiles.write(file, bytes("second"));

        assertThat(Files.readString(file)).isEqualTo("second");
        assertThat(Files.list(file.getParent()).toList()).containsExactly(file);
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = AtomicFiles.write(dir.resolve("masks.bin"), bytes("old"));

        assertThatThrownBy(() -> AtomicFiles.write(file, out -> {
            out.write(bytes("half"));
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class).hasMessage("disk full");

        assertThat(Files.readString(file)).isEqualTo("old");
        assertThat(Files.list(dir).toList()).containsExactly(file);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
