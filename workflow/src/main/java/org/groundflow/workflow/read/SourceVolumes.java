package org.groundflow.workflow.read;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** The image volume of a read's retrieved series, decoded from the read store; each decoding is counted. */
@Component
public class SourceVolumes {

    private final ReadStore store;
    private final ObjectProvider<MeterRegistry> meters;

    public SourceVolumes(ReadStore store, ObjectProvider<MeterRegistry> meters) {
        this.store = store;
        this.meters = meters;
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
        MeterRegistry registry = meters.getIfAvailable();
        if (registry != null) {
            Counter.builder("groundflow.volume.decodes").description("series decoded into an image volume")
                    .register(registry).increment();
        }
        try {
            return ImageVolumeReader.read(files);
        } catch (VolumeException e) {
            throw new ReadFailure("study " + study + " cannot be read as one image volume: " + e.getMessage(), e);
        }
    }
}
