package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.DicomWebException;

/**
 * A request uses a feature that the endpoint's {@link ServerProfile} says the server lacks; thrown before anything
 * is sent, because such servers tend to ignore what they do not understand and answer something else.
 */
public class UnsupportedByServerException extends DicomWebException {

    private final String profile;
    private final String feature;

    public UnsupportedByServerException(String profile, String feature) {
        super("The " + profile + " server profile does not support " + feature);
        this.profile = profile;
        this.feature = feature;
    }

    public String profile() {
        return profile;
    }

    public String feature() {
        return feature;
    }
}
