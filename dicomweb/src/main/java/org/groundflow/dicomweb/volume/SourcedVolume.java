package org.groundflow.dicomweb.volume;

import java.util.List;
import java.util.Objects;

/**
 * A decoded volume with the source of each slice: needed where slices come from frames of multi-frame images, since
 * {@link ImageVolume#sopInstanceUids()} then repeats one UID.
 *
 * @param sources one per slice, in slice order
 */
public record SourcedVolume(ImageVolume volume, List<SliceSource> sources) {

    public SourcedVolume {
        Objects.requireNonNull(volume, "volume");
        sources = List.copyOf(sources);
        if (sources.size() != volume.slices()) {
            throw new IllegalArgumentException("need one source per slice (" + volume.slices() + "), got " + sources.size());
        }
    }

    /** Whether any slice is a frame of a multi-frame image. */
    public boolean fromMultiFrameImages() {
        return sources.stream().anyMatch(source -> source.frameNumber() > 1)
                || sources.stream().map(SliceSource::sopInstanceUid).distinct().count() < sources.size();
    }
}
