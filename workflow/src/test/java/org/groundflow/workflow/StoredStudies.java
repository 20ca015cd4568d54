package org.groundflow.workflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.testing.OrthancServer;

/** Synthetic CT studies with the demo's lesions, each of its own (a random variant), stored in an Orthanc. */
final class StoredStudies {

    private StoredStudies() {
    }

    /** A 16-slice study with the demo lesions, written under {@code work} and stored in {@code orthanc}. */
    static SyntheticStudy stored(OrthancServer orthanc, Path work, String variant) throws IOException {
        SyntheticStudy study = SyntheticStudy.builder().variant(variant + "-" + UUID.randomUUID()).slices(16)
                .lesions(SyntheticStudy.DEMO_LESIONS).build();
        try (DicomWebClient client = new DicomWebClient(orthanc.endpoint())) {
            client.store(study.writeTo(Files.createTempDirectory(work, "study"))).requireAllStored();
        }
        return study;
    }
}
