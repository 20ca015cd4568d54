package org.groundflow.workflow.read;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.client.SeriesRecord;
import org.groundflow.dicomweb.Uid;
import org.groundflow.workflow.monitoring.ReadInputs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Finds the image series of a study to read (QIDO-RS), records the choice in the read store and retrieves the series
 * into this node's {@link SeriesCache} (WADO-RS); a study without a series the model reads is an expected outcome
 * ({@link NothingToRead}), not a failure. The retrieved series' scanner and acquisition go to the AI monitoring
 * ({@link ReadInputs}).
 */
@Service
public class StudyRetrieval {

    /** Modalities the read can interpret; derived objects (SEG, SR, PR, KO) are never chosen. */
    static final Set<String> READABLE_MODALITIES = Set.of("CT");

    private static final Logger log = LoggerFactory.getLogger(StudyRetrieval.class);

    private final DicomWebClient pacs;
    private final SeriesCache cache;
    private final ReadStore store;
    private final ReadInputs inputs;

    public StudyRetrieval(DicomWebClient pacs, SeriesCache cache, ReadStore store, ReadInputs inputs) {
        this.pacs = pacs;
        this.cache = cache;
        this.store = store;
        this.inputs = inputs;
    }

    /** What a retrieval came to: the series retrieved, or nothing the model can read. */
    public sealed interface Retrieval permits RetrievedSeries, NothingToRead {
    }

    public record RetrievedSeries(Uid seriesInstanceUid, int instanceCount) implements Retrieval {
    }

    /**
     * The study has no series of a modality the model reads; nothing was retrieved.
     *
     * @param seriesFound each series the PACS holds of the study, as "MODALITY UID"
     */
    public record NothingToRead(Uid study, List<String> seriesFound) implements Retrieval {

        public NothingToRead {
            seriesFound = List.copyOf(seriesFound);
        }

        /** Names the study, the modalities read and the series found instead. */
        public String message() {
            return "study " + study + " has no " + READABLE_MODALITIES.stream().sorted().toList() + " series to read"
                    + " (series found: " + (seriesFound.isEmpty() ? "none" : String.join(", ", seriesFound)) + ")";
        }
    }

    /** Chooses the readable series with the most instances and retrieves it, or says there is nothing to read. */
    public Retrieval retrieve(String readId, Uid study) {
        List<SeriesRecord> series = pacs.searchSeries(study);
        SeriesRecord chosen = series.stream()
                .filter(s -> s.modality() != null && READABLE_MODALITIES.contains(s.modality()))
                .max(Comparator.comparingInt(s -> s.numberOfSeriesRelatedInstances().orElse(0)))
                .orElse(null);
        if (chosen == null) {
            NothingToRead nothing = new NothingToRead(study, series.stream()
                    .map(s -> s.modality() + " " + s.seriesInstanceUid()).toList());
            log.info("read {}: {}", readId, nothing.message());
            return nothing;
        }
        List<Path> files = cache.retrieve(new ReadSeries(readId, study, chosen.seriesInstanceUid()));
        if (files.isEmpty()) {
            throw new ReadFailure("series " + chosen.seriesInstanceUid() + " of study " + study + " returned no instances");
        }
        store.seriesChosen(readId, chosen.seriesInstanceUid());
        inputs.record(readId, chosen.seriesInstanceUid(), files.get(0), Instant.now());
        log.info("read {}: retrieved {} instances of series {}", readId, files.size(), chosen.seriesInstanceUid());
        return new RetrievedSeries(chosen.seriesInstanceUid(), files.size());
    }
}
