package org.groundflow.workflow.read;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.Uid;
import org.groundflow.inference.Finding;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.Laterality;
import org.groundflow.inference.Measurements;
import org.groundflow.inference.ModelIdentity;
import org.groundflow.workflow.config.GroundflowProperties;
import org.groundflow.workflow.config.JsonConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/** A draft keeps its findings' coded site and laterality in the read store; a draft stored without them still reads. */
class ReadStoreJsonTest {

    private static final CodedConcept LUNG = CodedConcept.sct("39607008", "Lung");

    @TempDir
    Path work;

    ReadStore store;
    String readId;

    @BeforeEach
    void store() {
        ObjectMapper json = Jackson2ObjectMapperBuilder.json().serializationInclusion(JsonInclude.Include.NON_NULL)
                .modules(new JsonConfiguration().groundflowJsonModule()).build();
        store = new ReadStore(new GroundflowProperties(work, null, null, null, null, null, null, null, null), json);
        readId = UUID.randomUUID().toString();
    }

    private static Interpretation draft(Finding finding) {
        return new Interpretation(Uid.of("2.25.1"), Uid.of("2.25.2"),
                new ModelIdentity("demo", "1.0.0", Uid.of("2.25.3"), "Groundflow"), List.of(finding), "1 nodule; see findings.");
    }

    @Test
    void siteAndLateralityRoundTrip() {
        Finding nodule = new Finding(1, "nodule", CodedConcept.sct("27925004", "Nodule"),
                "A 9 mm nodule in the right middle zone (0.4 mL).", "9 mm nodule", 1, 0.9,
                new Measurements(9.2, 0.41, 30.5), "right middle zone", LUNG, Laterality.RIGHT);

        store.saveInterpretation(readId, draft(nodule));

        assertThat(store.interpretation(readId)).contains(draft(nodule));
    }

    @Test
    void aDraftStoredWithoutCodedSiteReadsWithoutOne() throws Exception {
        String stored = """
                {"studyInstanceUid": "2.25.1", "seriesInstanceUid": "2.25.2",
                 "model": {"name": "demo", "version": "1.0.0", "uid": "2.25.3", "manufacturer": "Groundflow"},
                 "findings": [{"number": 1, "label": "nodule",
                               "code": {"value": "27925004", "scheme": "SCT", "meaning": "Nodule"},
                               "text": "A nodule in the right middle zone.", "phrase": "nodule", "segmentNumber": 1,
                               "confidence": 0.9, "location": "right middle zone"}],
                 "impression": "1 nodule; see findings."}""";
        Files.createDirectories(store.readDir(readId));
        Files.writeString(store.readDir(readId).resolve("interpretation.json"), stored, StandardCharsets.UTF_8);

        Finding finding = store.interpretation(readId).orElseThrow().findings().get(0);

        assertThat(finding.location()).isEqualTo("right middle zone");
        assertThat(finding.site()).isNull();
        assertThat(finding.laterality()).isNull();
    }
}
