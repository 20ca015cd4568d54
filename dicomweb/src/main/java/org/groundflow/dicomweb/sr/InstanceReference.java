package org.groundflow.dicomweb.sr;

import java.util.Objects;

import org.groundflow.dicomweb.Uid;

/** A stored instance by its study, series and SOP class and instance UIDs (the Hierarchical SOP Instance Reference). */
public record InstanceReference(Uid studyInstanceUid, Uid seriesInstanceUid, Uid sopClassUid, Uid sopInstanceUid) {

    public InstanceReference {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        Objects.requireNonNull(sopClassUid, "sopClassUid");
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
    }
}
