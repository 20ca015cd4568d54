package org.groundflow.publication;

import java.util.Objects;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.SegmentMasks;
import org.groundflow.review.SignOff;
import org.groundflow.review.SignedFinding;

/**
 * Everything the PACS publication of a signed read is made from, checked before any mapping: the sign-off (kept
 * findings, reviewer, time, and through its interpretation the model), the draft's masks, the geometry of the series
 * read and the revision this sign-off is.
 *
 * @param source the series the model read: its grid, instances and patient and study attributes (no pixel values)
 */
public record SignedRead(SignOff signOff, SegmentMasks masks, VolumeGeometry source, Revision revision) {

    public SignedRead {
        Objects.requireNonNull(signOff, "signOff");
        Objects.requireNonNull(masks, "masks");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(revision, "revision");
        Interpretation read = signOff.interpretation();
        String where = "study " + read.studyInstanceUid() + ", read " + signOff.readId();
        if (signOff.kept().isEmpty()) {
            throw new IllegalArgumentException(where + " kept no finding, so it has no segmentation to publish");
        }
        if (!revision.readId().equals(signOff.readId()) || !revision.isSignOffAt(signOff.signedAt())) {
            throw new IllegalArgumentException(where + ": revision " + revision.number() + " is read "
                    + revision.readId() + " signed at " + revision.signedAt() + ", the sign-off was at "
                    + signOff.signedAt());
        }
        if (!source.studyInstanceUid().equals(read.studyInstanceUid())
                || !source.seriesInstanceUid().equals(read.seriesInstanceUid())) {
            throw new IllegalArgumentException(where + ": the source is series " + source.seriesInstanceUid()
                    + " of study " + source.studyInstanceUid() + ", the interpretation read series "
                    + read.seriesInstanceUid());
        }
        if (masks.columns() != source.columns() || masks.rows() != source.rows() || masks.slices() != source.slices()) {
            throw new IllegalArgumentException(where + ": masks of " + masks.columns() + "x" + masks.rows() + "x"
                    + masks.slices() + " do not fit series " + source.seriesInstanceUid() + " of " + source.columns()
                    + "x" + source.rows() + "x" + source.slices());
        }
        for (SignedFinding kept : signOff.kept()) {
            int segment = kept.finding().segmentNumber();
            if (masks.masks().stream().noneMatch(mask -> mask.segmentNumber() == segment)) {
                throw new IllegalArgumentException(where + ": finding " + kept.finding().number()
                        + " is grounded in segment " + segment + ", which the masks do not hold");
            }
        }
    }

    public String readId() {
        return signOff.readId();
    }
}
