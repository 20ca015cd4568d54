package org.groundflow.workflow.read;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.inference.Interpreter;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.MaskCodec;
import org.groundflow.inference.ModelCard;
import org.groundflow.inference.SegmentMasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The {@link SliceImages} of reads under review, decoded from the read store once and kept for the last
 * {@value #CAPACITY} reads, so scrolling through a series does not decode it again for every slice. A draft written
 * again (a retried interpretation) is picked up: entries are keyed by the draft's and masks' modification times.
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
        Path draftFile = store.readDir(readId).resolve("interpretation.json");
        Path masksFile = store.masksFile(readId);
        if (!Files.exists(draftFile)) {
            return Optional.empty();
        }
        String version = modified(draftFile) + "/" + modified(masksFile);
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

    private SliceImages load(String readId) {
        long start = System.nanoTime();
        Interpretation draft = store.interpretation(readId)
                .orElseThrow(() -> new ReadFailure("read " + readId + " has no draft"));
        ImageVolume volume = volumes.load(readId, draft.studyInstanceUid());
        SegmentMasks masks = null;
        if (Files.exists(store.masksFile(readId))) {
            try {
                masks = MaskCodec.read(store.masksFile(readId));
            } catch (IOException e) {
                throw new UncheckedIOException("the masks of read " + readId + " cannot be read", e);
            }
        } else if (!draft.findings().isEmpty()) {
            throw new ReadFailure("study " + draft.studyInstanceUid() + ": read " + readId
                    + " has draft findings but no masks");
        }
        SliceImages images = SliceImages.of(volume, draft, masks, card);
        log.debug("read {}: {} slices decoded for display in {} ms", readId, images.slices(),
                (System.nanoTime() - start) / 1_000_000);
        return images;
    }

    private static long modified(Path file) {
        try {
            return Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() : 0;
        } catch (IOException e) {
            return 0;
        }
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
