package org.groundflow.workflow.read;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.ImageVolumeReader;
import org.groundflow.dicomweb.volume.VolumeException;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The retrieved series of a read, from the read store: decoded into an image volume (the model and the review UI need
 * the voxels), or read for its geometry alone (publication needs the grid, the instances and the study, not the
 * pixels). Each decoding counts in {@value #DECODES}.
 */
@Component
public class SourceVolumes {

    /** Counter of series decoded into voxels. */
    public static final String DECODES = "groundflow.volume.decodes";

    private final ReadStore store;
    private final ObjectProvider<MeterRegistry> meters;

    public SourceVolumes(ReadStore store, ObjectProvider<MeterRegistry> meters) {
        this.store = store;
        this.meters = meters;
    }

    /** The series decoded: every slice's pixel data. */
    public ImageVolume load(String readId, Uid study) {
        List<Path> files = files(readId, study);
        MeterRegistry registry = meters.getIfAvailable();
        if (registry != null) {
            Counter.builder(DECODES).description("series decoded into voxels (pixel data read)").register(registry)
                    .increment();
        }
        try {
            return ImageVolumeReader.read(files);
        } catch (VolumeException e) {
            throw unreadable(study, e);
        }
    }

    /** The series' geometry, instances and study attributes, from the headers: no pixel data is decoded. */
    public VolumeGeometry geometry(String readId, Uid study) {
        try {
            return ImageVolumeReader.readGeometry(files(readId, study));
        } catch (VolumeException e) {
            throw unreadable(study, e);
        }
    }

    private List<Path> files(String readId, Uid study) {
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
        return files;
    }

    private static ReadFailure unreadable(Uid study, VolumeException e) {
        return new ReadFailure("study " + study + " cannot be read as one image volume: " + e.getMessage(), e);
    }
}
