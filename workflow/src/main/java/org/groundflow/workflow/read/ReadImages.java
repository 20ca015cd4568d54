package org.groundflow.workflow.read;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.Interpreter;
import org.groundflow.inference.ModelCard;
import org.groundflow.inference.SegmentMasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The {@link SliceImages} of reads under review: the draft and masks from the read store, the series from this node's
 * cache (retrieved when missing), decoded once and kept for the last {@value #CAPACITY} reads, so scrolling through a
 * series does not decode it again for every slice. A draft written again (a retried interpretation) is picked up:
 * entries are keyed by the time the draft was kept.
 */
@Component
public class ReadImages {

    /** Reads kept decoded; a 512 x 512 x 300 series takes ~150 MB as 16-bit HU. */
    static final int CAPACITY = 2;

    private static final Logger log = LoggerFactory.getLogger(ReadImages.class);

    private final ReadStore store;
    private final SourceVolumes volumes;
    private final ModelCard card;
    private final Map<String, Entry> recent = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > CAPACITY;
        }
    };

    public ReadImages(ReadStore store, SourceVolumes volumes, Interpreter interpreter) {
        this.store = store;
        this.volumes = volumes;
        this.card = interpreter.card();
    }

    /** The read's images, or empty while the read has no draft yet. */
    public Optional<SliceImages> of(String readId) {
        Optional<Instant> drafted = store.draftedAt(readId);
        if (drafted.isEmpty()) {
            return Optional.empty();
        }
        String version = drafted.get().toString();
        Entry entry;
        synchronized (recent) {
            entry = recent.get(readId);
            if (entry == null || !entry.version.equals(version)) {
                entry = new Entry(readId, version);
                recent.put(readId, entry);
            }
        }
        return Optional.of(entry.images());
    }

    /** Drops what is kept decoded of these reads (their retention period is over). */
    public void forget(Collection<String> readIds) {
        synchronized (recent) {
            recent.keySet().removeAll(readIds);
        }
    }

    private SliceImages load(String readId) {
        long start = System.nanoTime();
        Interpretation draft = store.interpretation(readId)
                .orElseThrow(() -> new ReadFailure("read " + readId + " has no draft"));
        SegmentMasks masks = store.masks(readId).orElseThrow(() -> new ReadFailure("study " + draft.studyInstanceUid()
                + ": the images and masks of read " + readId + " were deleted at the end of its retention period"));
        ImageVolume volume = volumes.load(new ReadSeries(readId, draft.studyInstanceUid(), draft.seriesInstanceUid()));
        SliceImages images = SliceImages.of(volume, draft, masks, card);
        log.debug("read {}: {} slices decoded for display in {} ms", readId, images.slices(),
                (System.nanoTime() - start) / 1_000_000);
        return images;
    }

    /** One read's images, decoded on first use; concurrent first requests wait for one decoding. */
    private final class Entry {
        private final String readId;
        private final String version;
        private SliceImages images;

        Entry(String readId, String version) {
            this.readId = readId;
            this.version = version;
        }

        synchronized SliceImages images() {
            if (images == null) {
                images = load(readId);
            }
            return images;
        }
    }
}
