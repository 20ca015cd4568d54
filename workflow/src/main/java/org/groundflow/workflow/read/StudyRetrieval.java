package org.groundflow.workflow.read;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.client.SeriesRecord;
import org.groundflow.dicomweb.Uid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Finds the image series of a study to read (QIDO-RS) and retrieves it into the read store (WADO-RS). */
@Service
public class StudyRetrieval {

    /** Modalities the read can interpret; derived objects (SEG, SR, PR, KO) are never chosen. */
    static final Set<String> READABLE_MODALITIES = Set.of("CT");

    private static final Logger log = LoggerFactory.getLogger(StudyRetrieval.class);

    private final DicomWebClient pacs;
    private final ReadStore store;

    public StudyRetrieval(DicomWebClient pacs, ReadStore store) {
        this.pacs = pacs;
        this.store = store;
    }

    public record RetrievedSeries(Uid seriesInstanceUid, int instanceCount) {
    }

    public RetrievedSeries retrieve(String readId, Uid study) {
        List<SeriesRecord> series = pacs.searchSeries(study);
        SeriesRecord chosen = series.stream()
                .filter(s -> s.modality() != null && READABLE_MODALITIES.contains(s.modality()))
                .max(Comparator.comparingInt(s -> s.numberOfSeriesRelatedInstances().orElse(0)))
                .orElseThrow(() -> new ReadFailure("study " + study + " has no " + READABLE_MODALITIES + " series to read"
                        + " (series found: " + series.stream().map(SeriesRecord::modality).toList() + ")"));
        Path target = store.freshSourceDir(readId);
        List<Path> files = pacs.retrieveSeries(study, chosen.seriesInstanceUid(), target);
        if (files.isEmpty()) {
            throw new ReadFailure("series " + chosen.seriesInstanceUid() + " of study " + study + " returned no instances");
        }
        log.info("read {}: retrieved {} instances of series {}", readId, files.size(), chosen.seriesInstanceUid());
        return new RetrievedSeries(chosen.seriesInstanceUid(), files.size());
    }
}
