package org.groundflow.workflow.read;

import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.inference.SegmentMasks;
import org.groundflow.review.SignOff;
import org.springframework.stereotype.Component;

/**
 * What the publications of a signed read take from the read store: the sign-off, the masks and the series' geometry.
 * The geometry was kept with the draft, so a publication on any node needs neither the series' files nor the PACS;
 * for a draft kept without it, the series' headers are read (from this node's cache, or retrieved).
 */
@Component
public class PublicationInputs {

    private final ReadStore store;
    private final SourceVolumes volumes;

    public PublicationInputs(ReadStore store, SourceVolumes volumes) {
        this.store = store;
        this.volumes = volumes;
    }

    public SignOff signOff(String readId, Uid study) {
        return store.signOff(readId).orElseThrow(() -> new ReadFailure("study " + study + ": read " + readId
                + " has no sign-off to publish"));
    }

    public SegmentMasks masks(String readId, Uid study) {
        return store.masks(readId).orElseThrow(() -> new ReadFailure("study " + study + ": read " + readId
                + " has no masks to publish"));
    }

    public VolumeGeometry geometry(SignOff signOff, Uid study) {
        return store.volume(signOff.readId()).orElseGet(() -> volumes.geometry(new ReadSeries(signOff.readId(), study,
                signOff.interpretation().seriesInstanceUid())));
    }
}
