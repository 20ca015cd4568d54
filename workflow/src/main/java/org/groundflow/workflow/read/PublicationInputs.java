package org.groundflow.workflow.read;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.inference.SegmentMasks;
import org.groundflow.review.SignOff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What the publications of a signed read take from the read store: the sign-off, the masks and the series' geometry.
 * The geometry was kept with the draft, so a publication on any node needs neither the series' files nor the PACS;
 * for a draft kept without it, the series' headers are read (from this node's cache, or retrieved). Only the newest
 * sign-off of a read that is not retracted is published ({@link #newest}).
 */
@Component
public class PublicationInputs {

    private static final Logger log = LoggerFactory.getLogger(PublicationInputs.class);

    private final ReadStore store;
    private final SourceVolumes volumes;
    private final Retractions retractions;

    public PublicationInputs(ReadStore store, SourceVolumes volumes, Retractions retractions) {
        this.store = store;
        this.volumes = volumes;
        this.retractions = retractions;
    }

    /** Locks the read until the caller's transaction ends ({@link ReadStore#lock}). */
    public void lock(String readId) {
        store.lock(readId);
    }

    public SignOff signOff(String readId, Uid study) {
        return store.signOff(readId).orElseThrow(() -> new ReadFailure("study " + study + ": read " + readId
                + " has no sign-off to publish"));
    }

    /**
     * The read's newest sign-off if it is the one made at {@code signedAt} (any, when null) and the read is not
     * retracted; empty otherwise: a newer revision supersedes the publication asking. Locks the read first
     * ({@link ReadStore#lock}), so a withdrawal of the read's instances waits for the publication asking to end, and a
     * publication that asks after a retraction committed finds it.
     */
    public Optional<SignOff> newest(String readId, Uid study, Instant signedAt) {
        store.lock(readId);
        SignOff newest = signOff(readId, study);
        if (retractions.of(readId).isPresent()) {
            log.info("study {}: read {} is retracted; the publication of its sign-off at {} writes nothing", study,
                    readId, signedAt);
            return Optional.empty();
        }
        if (signedAt != null && !newest.signedAt().truncatedTo(ChronoUnit.MICROS)
                .equals(signedAt.truncatedTo(ChronoUnit.MICROS))) {
            log.info("study {}: read {} was signed again at {}; the publication of its sign-off at {} writes nothing",
                    study, readId, newest.signedAt(), signedAt);
            return Optional.empty();
        }
        return Optional.of(newest);
    }

    /** The sign-off before {@code signOff}, if it amends one. */
    public Optional<SignOff> previous(SignOff signOff) {
        SignOff previous = null;
        for (SignOff earlier : store.signOffs(signOff.readId())) {
            if (earlier.signedAt().isBefore(signOff.signedAt())) {
                previous = earlier;
            }
        }
        return Optional.ofNullable(previous);
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
