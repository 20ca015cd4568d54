package org.groundflow.workflow.read;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.client.SeriesRecord;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.volume.ImageVolumeReader;
import org.groundflow.inference.Interpreter;
import org.groundflow.inference.ModelCard;
import org.groundflow.inference.ModelDomain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Finds the image series of a study to read (QIDO-RS), retrieves it into this node's {@link SeriesCache} (WADO-RS)
 * and records the choice in the read store. Of the series of a modality the model reads, the one with the most
 * instances is retrieved first; when its headers put it outside the model card's domain ({@link ModelDomain}), the
 * next is retrieved, and so on. A study without a series the model reads ({@link NothingToRead}) or whose series all
 * lie outside the domain ({@link OutsideModelDomain}) is an expected outcome, not a failure.
 */
@Service
public class StudyRetrieval {

    /** Modalities the read can interpret; derived objects (SEG, SR, PR, KO) are never chosen. */
    static final Set<String> READABLE_MODALITIES = Set.of("CT");

    private static final Logger log = LoggerFactory.getLogger(StudyRetrieval.class);

    private final DicomWebClient pacs;
    private final SeriesCache cache;
    private final ReadStore store;
    private final ModelCard card;

    public StudyRetrieval(DicomWebClient pacs, SeriesCache cache, ReadStore store, Interpreter interpreter) {
        this.pacs = pacs;
        this.cache = cache;
        this.store = store;
        this.card = interpreter.card();
    }

    /** What a retrieval came to: the series retrieved, nothing the model can read, or nothing in its domain. */
    public sealed interface Retrieval permits RetrievedSeries, NothingToRead, OutsideModelDomain {
    }

    /**
     * The study's series of the model's modality all lie outside the model's domain.
     *
     * @param reasons one per rule a series breaks, each naming the series, its value and the model's range
     */
    public record OutsideModelDomain(Uid study, String model, List<String> reasons) implements Retrieval {

        public OutsideModelDomain {
            reasons = List.copyOf(reasons);
        }

        /** "study S has no series model M was trained for: series A: slice thickness 7 mm is outside ...; ...". */
        public String message() {
            return "study " + study + " has no series model " + model + " was trained for: "
                    + String.join("; ", reasons);
        }
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

    /**
     * Retrieves the readable series with the most instances that lies in the model's domain, or says there is nothing
     * to read or nothing in the domain.
     */
    public Retrieval retrieve(String readId, Uid study) {
        List<SeriesRecord> series = pacs.searchSeries(study);
        List<SeriesRecord> readable = series.stream()
                .filter(s -> s.modality() != null && READABLE_MODALITIES.contains(s.modality()))
                .sorted(Comparator.comparingInt((SeriesRecord s) -> s.numberOfSeriesRelatedInstances().orElse(0))
                        .reversed())
                .toList();
        if (readable.isEmpty()) {
            NothingToRead nothing = new NothingToRead(study, series.stream()
                    .map(s -> s.modality() + " " + s.seriesInstanceUid()).toList());
            log.info("read {}: {}", readId, nothing.message());
            return nothing;
        }
        List<String> reasons = new ArrayList<>();
        for (SeriesRecord candidate : readable) {
            List<Path> files = cache.retrieve(new ReadSeries(readId, study, candidate.seriesInstanceUid()));
            if (files.isEmpty()) {
                throw new ReadFailure("series " + candidate.seriesInstanceUid() + " of study " + study
                        + " returned no instances");
            }
            List<ModelDomain.Violation> outside = ModelDomain.violations(card, ImageVolumeReader.readAcquisition(files));
            if (outside.isEmpty()) {
                store.seriesChosen(readId, candidate.seriesInstanceUid());
                log.info("read {}: retrieved {} instances of series {}", readId, files.size(),
                        candidate.seriesInstanceUid());
                return new RetrievedSeries(candidate.seriesInstanceUid(), files.size());
            }
            outside.forEach(v -> reasons.add(v.message()));
            log.info("read {}: series {} lies outside the domain of model {} ({} rule(s))", readId,
                    candidate.seriesInstanceUid(), card.title(), outside.size());
        }
        return new OutsideModelDomain(study, card.title(), reasons);
    }
}
