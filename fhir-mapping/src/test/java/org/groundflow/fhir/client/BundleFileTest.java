package org.groundflow.fhir.client;

import org.groundflow.fhir.mapping.Fixtures;
import org.groundflow.fhir.mapping.ReportMapper;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.groundflow.review.SignOff;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleFileTest {

    private final ReportMapper mapper = Fixtures.mapper();

    @Test
    void writesTheBundleJsonIntoANewDirectory(@TempDir Path temp) throws Exception {
        Path dir = temp.resolve("fhir/out");

        Path file = mapper.writeBundle(Fixtures.request(), dir);

        assertThat(file).isEqualTo(dir.resolve("groundflow-read-" + Fixtures.READ_ID + ".json"));
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(mapper.toJson(Fixtures.request()));
    }

    @Test
    void writingTheSameReadAgainLeavesOneFile(@TempDir Path dir) throws Exception {
        mapper.writeBundle(Fixtures.request(), dir);
        mapper.writeBundle(Fixtures.request(), dir);

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .containsExactly("groundflow-read-" + Fixtures.READ_ID + ".json");
        }
    }

    @Test
    void unsafeReadIdsGiveSafeDistinctNames(@TempDir Path dir) throws Exception {
        SignOff slashed = new SignOff("../a/b", Fixtures.interpretation(), List.of(), List.of(1, 2, 3), "None.",
                Fixtures.REVIEWER, Fixtures.SIGNED_AT);

        Path file = mapper.writeBundle(Fixtures.request(slashed), dir);

        assertThat(file.getParent()).isEqualTo(dir);
        assertThat(file.getFileName().toString()).matches("groundflow-read-\\.\\._a_b-[0-9a-f]{8}\\.json");
        assertThat(ReportMapper.fileName("__a_b")).isNotEqualTo(file.getFileName().toString());
    }

    @Test
    void publisherWritesTheSameFileWithoutAServer(@TempDir Path dir) throws Exception {
        try (FhirPublisher publisher = new FhirPublisher(FhirEndpoint.of("http://localhost:1/fhir"), mapper)) {
            Path file = publisher.writeBundle(Fixtures.request(), dir);

            assertThat(Files.readString(file)).isEqualTo(publisher.toJson(Fixtures.request()));
        }
    }
}
