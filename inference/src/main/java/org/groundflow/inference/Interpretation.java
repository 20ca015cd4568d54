package org.groundflow.inference;

import java.util.List;
import java.util.Objects;
import org.groundflow.dicomweb.Uid;

/**
 * What the model read in a series: grounded findings (possibly none), an impression, and what was set aside or
 * reworded as implausible for its label, with the reasons.
 */
public record Interpretation(Uid studyInstanceUid, Uid seriesInstanceUid, ModelIdentity model,
                             List<Finding> findings, String impression, List<SetAside> setAside) {

    public Interpretation {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(impression, "impression");
        findings = List.copyOf(findings);
        setAside = setAside == null ? List.of() : List.copyOf(setAside);
    }

    /** A read with nothing set aside. */
    public Interpretation(Uid studyInstanceUid, Uid seriesInstanceUid, ModelIdentity model, List<Finding> findings,
                          String impression) {
        this(studyInstanceUid, seriesInstanceUid, model, findings, impression, List.of());
    }

    public Finding finding(int number) {
        return findings.stream().filter(f -> f.number() == number).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no finding number " + number + " in study " + studyInstanceUid));
    }
}
