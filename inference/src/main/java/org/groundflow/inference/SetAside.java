package org.groundflow.inference;

import java.util.Objects;

/**
 * What the model segmented that the read does not report as the model labelled it: a finding too large or in the
 * wrong place for its label (per the card's {@code plausibility}), with the reason.
 *
 * @param label  the model's label for it, e.g. "nodule"
 * @param reason why, e.g. "42 mm is more than a nodule's 30 mm; reported as mass"
 * @param keptAs the label it is reported under instead (e.g. "mass"); null when it was dropped
 */
public record SetAside(String label, String reason, String keptAs) {

    public SetAside {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(reason, "reason");
    }
}
