package org.groundflow.fhir.client;

import java.util.List;

/**
 * The bundle Groundflow made of a read is not valid FHIR R4, so it was not sent: a defect in the mapping or in the
 * read's data, not retryable. {@link #serverMessage()} holds the validator's messages (they may quote patient data).
 */
public final class FhirInvalidBundleException extends FhirPublicationException {

    private final List<String> errors;

    FhirInvalidBundleException(String message, List<String> errors) {
        super(message, 0, String.join("\n", errors), null);
        this.errors = List.copyOf(errors);
    }

    /** The validator's error messages. */
    public List<String> errors() {
        return errors;
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
