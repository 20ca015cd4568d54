package org.groundflow.inference;

import org.groundflow.dicomweb.volume.ImageVolume;

/**
 * Reads a series into grounded findings and the masks that ground them. Two kinds: {@link GroundedInterpreter} runs
 * a TorchScript package in this process; {@link org.groundflow.inference.remote.RemoteInterpreter} asks a model
 * server (inference/remote/CONTRACT.md). Both return findings measured and worded by {@link FindingExtractor}.
 * Implementations are thread safe.
 */
public interface Interpreter {

    /**
     * @throws InferenceException when the series cannot be read (wrong modality, not axial) or the model fails
     */
    InterpretationResult interpret(ImageVolume volume);

    /** The card of the model that reads: its identity, labels and codes (what DICOM and FHIR outputs name). */
    ModelCard card();
}
