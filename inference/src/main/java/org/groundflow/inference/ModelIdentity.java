package org.groundflow.inference;

import java.util.Objects;
import org.groundflow.dicomweb.Uid;

/** Who made a result: the model's name, version and device UID, as its model card states them. */
public record ModelIdentity(String name, String version, Uid uid, String manufacturer) {

    public ModelIdentity {
        Objects.requireNonNull(name, "model name");
        Objects.requireNonNull(version, "model version");
        Objects.requireNonNull(uid, "model uid");
        Objects.requireNonNull(manufacturer, "model manufacturer");
    }
}
