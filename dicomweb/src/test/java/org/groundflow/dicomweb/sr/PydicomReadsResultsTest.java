package org.groundflow.dicomweb.sr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.seg.Segmentation;
import org.groundflow.dicomweb.testing.DemoResults;
import org.groundflow.dicomweb.testing.ExpectedResults;
import org.groundflow.dicomweb.testing.ExternalCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A third-party reader, Debian's pydicom with numpy ({@code src/test/python/check_results.py}), reads the SEG and the
 * signed and amended reports: every frame's segment and source image, voxel counts, every sentence tied to its segment.
 */
class PydicomReadsResultsTest {

    static final Path SCRIPT = Path.of("src", "test", "python", "check_results.py");

    @TempDir
    Path temp;

    @Test
    void pydicomFindsEverySegmentAndEverySentence() {
        Path python = ExternalCheck.requirePydicom();
        Segmentation seg = DemoResults.seg();
        MeasurementReport signed = DemoResults.report(seg).build();
        MeasurementReport amended = DemoResults.report(seg).sopInstanceUid(Uid.of("2.25.1202")).instanceNumber(2)
                .predecessor(signed.reference()).build();
        Path expected = ExpectedResults.write(temp.resolve("expected.json"), DemoResults.volume(), seg, "AI segmentation",
                DemoResults.lesionMasks(), DemoResults.sentences());

        JsonNode result = ExternalCheck.run(List.of(python.toString(), SCRIPT.toString(), expected.toString(),
                        seg.write(temp.resolve("seg.dcm")).toString(), signed.write(temp.resolve("sr.dcm")).toString(),
                        amended.write(temp.resolve("sr-amended.dcm")).toString()),
                Map.of(), temp.resolve("pydicom.log"), Duration.ofSeconds(60));

        assertThat(result.path("groups")).hasSize(2).allSatisfy(n -> assertThat(n.asInt()).isEqualTo(3));
        for (int n = 1; n <= 3; n++) {
            assertThat(result.path("voxels").path(String.valueOf(n)).asInt())
                    .isEqualTo(DemoResults.lesionMasks().get(n - 1).cardinality());
        }
    }
}
