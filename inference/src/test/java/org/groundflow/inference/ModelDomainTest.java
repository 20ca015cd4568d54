package org.groundflow.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.groundflow.dicomweb.testing.SphereSeries;
import org.groundflow.dicomweb.volume.ImageVolumeReader;
import org.groundflow.dicomweb.volume.SeriesAcquisition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each rule of the card's domain, on series written as DICOM and read from their headers. */
class ModelDomainTest {

    private static final ModelCard CARD = Cards.contract();
    /** In the contract card's domain: 0.8 mm pixels, 4 mm slices, 30 slices (120 mm), axial, CHEST. */
    private static final SphereSeries IN_DOMAIN = SphereSeries.axial().withGrid(32, 32, 30, 0.8, 0.8, 4, 4);

    private static List<ModelDomain.Violation> check(SphereSeries series, Path dir) {
        SeriesAcquisition acquisition = ImageVolumeReader.readAcquisition(series.writeTo(dir));
        return ModelDomain.violations(CARD, acquisition);
    }

    static Stream<Arguments> inDomain() {
        double[][] tilted = SphereSeries.tilted(new double[] {1, 0, 0}, new double[] {0, 1, 0}, 15, 0);
        return Stream.of(
                Arguments.of("as described", IN_DOMAIN),
                Arguments.of("without Body Part Examined", IN_DOMAIN.withLabels(null, "CT")),
                Arguments.of("body part in lower case", IN_DOMAIN.withLabels("abdomen", "CT")),
                Arguments.of("rows and columns flipped", IN_DOMAIN.withDirections(new double[] {-1, 0, 0},
                        new double[] {0, -1, 0})),
                Arguments.of("tilted 15°", IN_DOMAIN.withDirections(tilted[0], tilted[1])));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inDomain")
    void seriesInTheDomainBreakNoRule(String name, SphereSeries series, @TempDir Path dir) {
        assertThat(check(series, dir)).isEmpty();
    }

    static Stream<Arguments> outsideTheDomain() {
        double[][] tilted = SphereSeries.tilted(new double[] {1, 0, 0}, new double[] {0, 1, 0}, 25, 0);
        return Stream.of(
                Arguments.of(IN_DOMAIN.withLabels("CHEST", "MR"), "modality", "modality MR is not this model's CT"),
                Arguments.of(IN_DOMAIN.withLabels("HEAD", "CT"), "bodyPart",
                        "body part HEAD is not one of this model's CHEST, ABDOMEN, CHESTABDOMEN, THORAX"),
                Arguments.of(IN_DOMAIN.withDirections(tilted[0], tilted[1]), "obliquity",
                        "slices are tilted 25° from axial, more than this model's 20°"),
                Arguments.of(IN_DOMAIN.withGrid(32, 32, 30, 1.2, 1.2, 4, 4), "pixelSpacing",
                        "pixel spacing 1.2 mm is outside this model's 0.5–1 mm"),
                Arguments.of(IN_DOMAIN.withGrid(32, 32, 30, 0.4, 0.8, 4, 4), "pixelSpacing",
                        "pixel spacing 0.8 x 0.4 mm is outside this model's 0.5–1 mm"),
                Arguments.of(IN_DOMAIN.withGrid(32, 32, 20, 0.8, 0.8, 7, 7), "sliceThickness",
                        "slice thickness 7 mm is outside this model's 0.625–5 mm"),
                Arguments.of(IN_DOMAIN.withGrid(32, 32, 20, 0.8, 0.8, 6, 0), "sliceThickness",
                        "slice thickness 6 mm is outside this model's 0.625–5 mm"),
                Arguments.of(IN_DOMAIN.withGrid(32, 32, 10, 0.8, 0.8, 4, 4), "coverage",
                        "it covers 40 mm along the slice normal, less than this model's minimum of 120 mm"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("outsideTheDomain")
    void eachRuleNamesTheSeriesTheValueAndTheModelsRange(SphereSeries series, String rule, String message,
                                                         @TempDir Path dir) {
        List<ModelDomain.Violation> violations = check(series, dir);
        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo(rule);
            assertThat(v.message()).startsWith("series ").endsWith(message);
        });
    }

    @Test
    void aCardWithoutADomainChecksOnlyTheModality(@TempDir Path dir) {
        SeriesAcquisition far = ImageVolumeReader.readAcquisition(
                IN_DOMAIN.withGrid(32, 32, 10, 3, 3, 9, 9).withLabels("HEAD", "CT").writeTo(dir));
        ModelCard demo = Cards.demo();
        ModelCard without = new ModelCard(demo.name(), demo.version(), demo.uid(), demo.manufacturer(), demo.modality(),
                demo.file(), demo.input(), demo.output(), demo.labels(), demo.intendedUse(), demo.license(),
                demo.training(), demo.evaluation());
        assertThat(ModelDomain.violations(without, far)).isEmpty();
    }
}
