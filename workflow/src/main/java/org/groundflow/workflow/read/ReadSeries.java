package org.groundflow.workflow.read;

import java.util.Objects;
import org.groundflow.dicomweb.Uid;

/** The series a read reads: the read's id, and the study and series the PACS holds it under. */
public record ReadSeries(String readId, Uid study, Uid series) {

    public ReadSeries {
        ReadStore.requireReadId(readId);
        Objects.requireNonNull(study, "study");
        Objects.requireNonNull(series, "series");
    }
}
