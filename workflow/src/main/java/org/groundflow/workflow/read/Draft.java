package org.groundflow.workflow.read;

import java.util.Objects;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.SegmentMasks;

/**
 * What the model made of a read's series, as kept for review and publication: the interpretation, the masks that
 * ground its findings, and the series' geometry (with the patient and study attributes the SEG and SR repeat), so that
 * publication needs neither the series' files nor the PACS.
 */
public record Draft(Interpretation interpretation, SegmentMasks masks, VolumeGeometry volume) {

    public Draft {
        Objects.requireNonNull(interpretation, "interpretation");
        Objects.requireNonNull(masks, "masks");
        Objects.requireNonNull(volume, "volume");
        if (masks.columns() != volume.columns() || masks.rows() != volume.rows() || masks.slices() != volume.slices()) {
            throw new IllegalArgumentException("masks of study " + interpretation.studyInstanceUid() + " lie on a "
                    + masks.columns() + "x" + masks.rows() + "x" + masks.slices() + " grid, the series on a "
                    + volume.columns() + "x" + volume.rows() + "x" + volume.slices() + " grid");
        }
        if (!volume.seriesInstanceUid().equals(interpretation.seriesInstanceUid())) {
            throw new IllegalArgumentException("study " + interpretation.studyInstanceUid() + ": the interpretation is of"
                    + " series " + interpretation.seriesInstanceUid() + ", the geometry of series "
                    + volume.seriesInstanceUid());
        }
    }
}
