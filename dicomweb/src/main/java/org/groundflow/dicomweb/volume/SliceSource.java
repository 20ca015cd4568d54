package org.groundflow.dicomweb.volume;

import org.groundflow.dicomweb.Uid;

import java.util.Objects;

/**
 * The image a volume slice was decoded from: its SOP instance and, for a multi-frame image, the frame.
 *
 * @param frameNumber 1-based; 1 for single-frame images
 */
public record SliceSource(Uid sopInstanceUid, int frameNumber) {

    public SliceSource {
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
        if (frameNumber < 1) {
            throw new IllegalArgumentException("frameNumber must be positive, got " + frameNumber);
        }
    }
}
