package org.groundflow.inference;

/** A model package cannot be used: its card is missing or invalid, or the model does not match the card. */
public class ModelPackageException extends InferenceException {

    public ModelPackageException(String packageName, String problem) {
        super("model package " + packageName + ": " + problem);
    }

    public ModelPackageException(String packageName, String problem, Throwable cause) {
        super("model package " + packageName + ": " + problem, cause);
    }
}
