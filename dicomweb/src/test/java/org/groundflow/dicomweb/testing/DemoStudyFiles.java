package org.groundflow.dicomweb.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.groundflow.dicomweb.synthetic.SyntheticStudy;

/**
 * The demo study's files, written once per JVM into a temporary directory that is removed at exit. Tests must not
 * change these files: copy them first.
 */
public final class DemoStudyFiles {

    private static List<Path> files;

    private DemoStudyFiles() {
    }

    public static synchronized List<Path> get() {
        if (files == null) {
            try {
                Path directory = Files.createTempDirectory("groundflow-demo-study-");
                files = List.copyOf(SyntheticStudy.write(directory));
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    for (Path file : files) {
                        file.toFile().delete();
                    }
                    directory.toFile().delete();
                }));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }
}
