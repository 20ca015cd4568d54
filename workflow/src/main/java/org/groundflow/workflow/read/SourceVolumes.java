package org.groundflow.workflow.read;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.ImageVolumeReader;
import org.groundflow.dicomweb.volume.VolumeException;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The series of a read, from this node's {@link SeriesCache} (retrieved from the PACS when not cached): decoded into
 * an image volume (the model and the review UI need the voxels), or read for its geometry alone (the grid, the
 * instances and the study, not the pixels). Each decoding counts in {@value #DECODES} and is timed in
 * {@value #DECODE_TIME}.
 */
@Component
public class SourceVolumes {

    /** Counter of series decoded into voxels. */
    public static final String DECODES = "groundflow.volume.decodes";
    /** Timer of decoding a series into voxels. */
    public static final String DECODE_TIME = "groundflow.volume.decode";

    private final SeriesCache cache;
    private final ObjectProvider<MeterRegistry> meters;

    public SourceVolumes(SeriesCache cache, ObjectProvider<MeterRegistry> meters) {
        this.cache = cache;
        this.meters = meters;
    }

    /** The series decoded: every slice's pixel data. */
    public ImageVolume load(ReadSeries series) {
        List<Path> files = files(series);
        long start = System.nanoTime();
        ImageVolume volume;
        try {
            volume = ImageVolumeReader.read(files);
        } catch (VolumeException e) {
            throw unreadable(series, e);
        }
        MeterRegistry registry = meters.getIfAvailable();
        if (registry != null) {
            Counter.builder(DECODES).description("series decoded into voxels (pixel data read)").register(registry)
                    .increment();
            Timer.builder(DECODE_TIME).description("decoding a series into voxels").register(registry)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        return volume;
    }

    /** The series' geometry, instances and study attributes, from the headers: no pixel data is decoded. */
    public VolumeGeometry geometry(ReadSeries series) {
        try {
            return ImageVolumeReader.readGeometry(files(series));
        } catch (VolumeException e) {
            throw unreadable(series, e);
        }
    }

    private List<Path> files(ReadSeries series) {
        List<Path> files = cache.files(series);
        if (files.isEmpty()) {
            throw new ReadFailure("study " + series.study() + ": series " + series.series() + " of read "
                    + series.readId() + " has no instances in the PACS");
        }
        return files;
    }

    private static ReadFailure unreadable(ReadSeries series, VolumeException e) {
        return new ReadFailure("study " + series.study() + " cannot be read as one image volume: " + e.getMessage(), e);
    }
}
