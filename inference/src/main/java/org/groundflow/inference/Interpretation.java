package org.groundflow.inference;

import java.util.List;
import java.util.Objects;
import org.groundflow.dicomweb.Uid;

/** What the model read in a series: grounded findings (possibly none) and an impression. */
public record Interpretation(Uid studyInstanceUid, Uid seriesInstanceUid, ModelIdentity model,
                             List<Finding> findings, String impression) {

    public Interpretation {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(impression, "impression");
        findings = List.copyOf(findings);
    }

    public Finding finding(int number) {
        return findings.stream().filter(f -> f.number() == number).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no finding number " + number + " in study " + studyInstanceUid));
    }
}
