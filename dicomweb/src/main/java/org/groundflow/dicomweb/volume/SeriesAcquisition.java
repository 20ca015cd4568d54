package org.groundflow.dicomweb.volume;

import java.util.Objects;

/**
 * A series as its headers describe it, for deciding whether a model may read it: the geometry and what the
 * geometry does not hold.
 *
 * @param bodyPartExamined the first slice's Body Part Examined; null when absent
 * @param sliceThicknessMm the first slice's Slice Thickness; null when absent or not positive
 */
public record SeriesAcquisition(VolumeGeometry geometry, String bodyPartExamined, Double sliceThicknessMm) {

    public SeriesAcquisition {
        Objects.requireNonNull(geometry, "geometry");
        bodyPartExamined = bodyPartExamined == null || bodyPartExamined.isBlank() ? null : bodyPartExamined.strip();
        sliceThicknessMm = sliceThicknessMm == null || !(sliceThicknessMm > 0) ? null : sliceThicknessMm;
    }

    /** What a decoded volume tells: its geometry, without Body Part Examined or Slice Thickness. */
    public static SeriesAcquisition of(VolumeGeometry geometry) {
        return new SeriesAcquisition(geometry, null, null);
    }
}
