package org.groundflow.workflow.read;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.ImageVolumeReader;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.volume.VolumeException;
import org.springframework.stereotype.Component;

/** The image volume of a read's retrieved series, decoded from the read store. */
@Component
public class SourceVolumes {

    private final ReadStore store;

    public SourceVolumes(ReadStore store) {
        this.store = store;
    }

    public ImageVolume load(String readId, Uid study) {
        Path dir = store.sourceDir(readId);
        List<Path> files;
        try (Stream<Path> listing = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
            files = listing.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the retrieved series of read " + readId, e);
        }
        if (files.isEmpty()) {
            throw new ReadFailure("study " + study + ": read " + readId + " has no retrieved series; retrieve it again");
        }
        try {
            return ImageVolumeReader.read(files);
        } catch (VolumeException e) {
            throw new ReadFailure("study " + study + " cannot be read as one image volume: " + e.getMessage(), e);
        }
    }
}
