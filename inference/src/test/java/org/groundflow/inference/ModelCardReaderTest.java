package org.groundflow.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.groundflow.dicomweb.CodedConcept;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ModelCardReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] variant(Consumer<ObjectNode> change) {
        try {
            ObjectNode card = (ObjectNode) JSON.readTree(Cards.demoJson());
            change.accept(card);
            return JSON.writeValueAsBytes(card);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ObjectNode input(ObjectNode card) {
        return (ObjectNode) card.get("input");
    }

    private static ObjectNode label(ObjectNode card, int i) {
        return (ObjectNode) card.get("labels").get(i);
    }

    @Test
    void theShippedCardIsValid() {
        ModelCard card = Cards.demo();
        assertThat(card.name()).isEqualTo("groundflow-demo-chest-ct");
        assertThat(card.version()).isEqualTo("3.1.0");
        assertThat(card.input().contextSlices()).isEqualTo(1);
        assertThat(card.input().channels()).isEqualTo(6);
        assertThat(card.identity().uid().value()).startsWith("2.25.");
        assertThat(card.input().windows()).extracting(ModelCard.Window::center).containsExactly(-300.0, 40.0);
        assertThat(card.input().windows().get(0).lower()).isEqualTo(-1000.0);
        assertThat(card.output().classes()).isEqualTo(5);
        assertThat(card.label(1).orElseThrow().concept()).isEqualTo(CodedConcept.sct("27925004", "Nodule"));
        assertThat(card.label(2).orElseThrow().concept()).isEqualTo(CodedConcept.sct("300331000", "Lesion of liver"));
        assertThat(card.label(2).orElseThrow().color()).containsExactly(86, 180, 233);
        assertThat(card.label(1).orElseThrow().siteConcept()).isEqualTo(CodedConcept.sct("39607008", "Lung"));
        assertThat(card.label(2).orElseThrow().siteConcept()).isEqualTo(CodedConcept.sct("10200004", "Liver"));
        assertThat(card.findingLabels()).extracting(ModelCard.Label::name).containsExactly("nodule", "liver lesion");
        assertThat(card.findingLabels()).extracting(ModelCard.Label::plausibility).containsExactly(
                new ModelCard.Plausibility(30.0, "lung", null, null), // a larger "nodule" is dropped, not a mass
                new ModelCard.Plausibility(100.0, "liver", null, 3.0));
        // each finding label is flagged in a band above its operating point, not below it
        assertThat(card.findingLabels()).allSatisfy(l -> assertThat(card.confidence().lowBelowByLabel().get(l.name()))
                .isGreaterThan(l.detection().minimumConfidence()).isLessThanOrEqualTo(1.0));
        assertThat(card.anatomyLabels()).extracting(ModelCard.Label::name).containsExactly("lung", "liver");
        assertThat(card.evaluation().heldOutCases()).isPositive();
        assertThat(card.evaluation().lesionSensitivity()).isBetween(0.0, 1.0);
        assertThat(card.evaluation().perLabelSensitivity()).containsOnlyKeys("nodule", "liver lesion");
    }

    static Stream<Arguments> brokenCards() {
        return Stream.of(
                Arguments.of("no name", (Consumer<ObjectNode>) c -> c.remove("name"), "field 'name' is required"),
                Arguments.of("blank version", (Consumer<ObjectNode>) c -> c.put("version", " "),
                        "field 'version' must be a non-blank string"),
                Arguments.of("bad uid", (Consumer<ObjectNode>) c -> c.put("uid", "2.25.01"), "field 'uid' is not a valid UID"),
                Arguments.of("file outside", (Consumer<ObjectNode>) c -> c.put("file", "../model.pt"),
                        "field 'file' must name a TorchScript file"),
                Arguments.of("no license", (Consumer<ObjectNode>) c -> c.remove("license"), "field 'license' is required"),
                Arguments.of("layout", (Consumer<ObjectNode>) c -> input(c).put("layout", "NHWC"),
                        "field 'input.layout' must be 'NCHW', got 'NHWC'"),
                Arguments.of("rows text", (Consumer<ObjectNode>) c -> input(c).put("rows", "256"),
                        "field 'input.rows' must be an integer in 8..4096"),
                Arguments.of("spacing", (Consumer<ObjectNode>) c -> input(c).put("pixelSpacingMm", 0),
                        "field 'input.pixelSpacingMm' must be positive"),
                Arguments.of("window count", (Consumer<ObjectNode>) c -> ((ArrayNode) input(c).get("windows")).remove(1),
                        "field 'input.windows' must hold one window per channel of each slice the model sees (6 channels, 3 slices), got 1"),
                Arguments.of("neighbour slices", (Consumer<ObjectNode>) c -> input(c).put("neighbourSlices", 2),
                        "field 'input.windows' must hold one window per channel of each slice the model sees (6 channels, 5 slices), got 2"),
                Arguments.of("one slice", (Consumer<ObjectNode>) c -> input(c).remove("neighbourSlices"),
                        "field 'input.windows' must hold one window per channel of each slice the model sees (6 channels, 1 slice), got 2"),
                Arguments.of("negative neighbours", (Consumer<ObjectNode>) c -> input(c).put("neighbourSlices", -1),
                        "field 'input.neighbourSlices' must be an integer in 0..8"),
                Arguments.of("window width", (Consumer<ObjectNode>) c ->
                                ((ObjectNode) input(c).get("windows").get(1)).put("width", -400),
                        "field 'input.windows[1].width' must be positive"),
                Arguments.of("output kind", (Consumer<ObjectNode>) c -> ((ObjectNode) c.get("output")).put("kind", "mask"),
                        "field 'output.kind' must be 'logits' or 'probabilities'"),
                Arguments.of("no labels", (Consumer<ObjectNode>) c -> c.putArray("labels"),
                        "field 'labels' must be a non-empty array"),
                Arguments.of("duplicate value", (Consumer<ObjectNode>) c -> label(c, 1).put("value", 1),
                        "label values must be unique, value 1 appears twice"),
                Arguments.of("value beyond classes", (Consumer<ObjectNode>) c -> label(c, 1).put("value", 5),
                        "field 'labels[1].value' must be an integer in 1..4, got 5"),
                Arguments.of("duplicate name", (Consumer<ObjectNode>) c -> label(c, 1).put("name", "nodule"),
                        "label names must be unique"),
                Arguments.of("no code", (Consumer<ObjectNode>) c -> ((ObjectNode) label(c, 0).get("code")).remove("code"),
                        "field 'labels[0].code.code' is required"),
                Arguments.of("site without display", (Consumer<ObjectNode>) c ->
                                ((ObjectNode) label(c, 0).get("site")).remove("display"),
                        "field 'labels[0].site.display' is required"),
                Arguments.of("site not an object", (Consumer<ObjectNode>) c -> label(c, 1).put("site", "lung"),
                        "field 'labels[1].site' must be an object"),
                Arguments.of("colour", (Consumer<ObjectNode>) c -> label(c, 0).putArray("color").add(1).add(2),
                        "field 'labels[0].color' must hold 3 values"),
                Arguments.of("slice spacing", (Consumer<ObjectNode>) c -> input(c).put("sliceSpacingMm", -1),
                        "field 'input.sliceSpacingMm' must be positive"),
                Arguments.of("kind", (Consumer<ObjectNode>) c -> label(c, 1).put("kind", "organ"),
                        "field 'labels[1].kind' must be 'finding' or 'anatomy', got \"organ\""),
                Arguments.of("within no anatomy label", (Consumer<ObjectNode>) c ->
                                label(c, 0).putObject("plausibility").put("withinAnatomy", "spleen"),
                        "field 'labels[0].plausibility.withinAnatomy' must name a label of kind 'anatomy' [liver, lung], got \"spleen\""),
                Arguments.of("larger without code", (Consumer<ObjectNode>) c ->
                                label(c, 0).putObject("plausibility").putObject("larger").put("name", "mass"),
                        "field 'labels[0].plausibility.larger.code' is required"),
                Arguments.of("maximum diameter", (Consumer<ObjectNode>) c ->
                                label(c, 0).putObject("plausibility").put("maxDiameterMm", 0),
                        "field 'labels[0].plausibility.maxDiameterMm' must be positive"),
                Arguments.of("elongation below a sphere's", (Consumer<ObjectNode>) c ->
                                label(c, 0).putObject("plausibility").put("maxElongation", 0.5),
                        "field 'labels[0].plausibility.maxElongation' must be a number of at least 1 (a sphere's), got 0.5"),
                Arguments.of("detection confidence", (Consumer<ObjectNode>) c ->
                                label(c, 0).putObject("detection").put("minimumConfidence", 1.5),
                        "field 'labels[0].detection.minimumConfidence' must be a number in 0..1, got 1.5"),
                Arguments.of("detection volume", (Consumer<ObjectNode>) c ->
                                label(c, 1).putObject("detection").put("minimumVolumeMl", -0.1),
                        "field 'labels[1].detection.minimumVolumeMl' must be positive"),
                Arguments.of("domain range", (Consumer<ObjectNode>) c ->
                                c.putObject("domain").putArray("sliceThicknessMm").add(5).add(1),
                        "field 'domain.sliceThicknessMm' must be [min, max] with 0 < min <= max, got [5,1]"),
                Arguments.of("domain obliquity", (Consumer<ObjectNode>) c ->
                                c.putObject("domain").put("maxObliquityDeg", "20"),
                        "field 'domain.maxObliquityDeg' must be a number"),
                Arguments.of("low confidence", (Consumer<ObjectNode>) c -> c.putObject("confidence").put("lowBelow", 1.5),
                        "field 'confidence.lowBelow' must be a number in 0..1, got 1.5"),
                Arguments.of("low confidence of no finding label", (Consumer<ObjectNode>) c ->
                                c.putObject("confidence").putObject("lowBelowByLabel").put("lung", 0.9),
                        "field 'confidence.lowBelowByLabel' names 'lung', not a finding label of the card [liver lesion, nodule]"),
                Arguments.of("low confidence of a label out of range", (Consumer<ObjectNode>) c ->
                                c.putObject("confidence").putObject("lowBelowByLabel").put("nodule", -0.1),
                        "field 'confidence.lowBelowByLabel.nodule' must be a number in 0..1, got -0.1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenCards")
    void aBrokenFieldIsNamed(String change, Consumer<ObjectNode> breakIt, String message) {
        ModelPackageException e = assertThrows(ModelPackageException.class,
                () -> ModelCardReader.read(variant(breakIt), "pkg-under-test"));
        assertThat(e).hasMessageStartingWith("model package pkg-under-test: ").hasMessageContaining(message);
    }

    @Test
    void notJsonIsRefused() {
        ModelPackageException e = assertThrows(ModelPackageException.class,
                () -> ModelCardReader.read("{name:".getBytes(StandardCharsets.UTF_8), "pkg"));
        assertThat(e).hasMessageContaining("model.json is not valid JSON");
    }

    @Test
    void aServedCardMayLeaveOutTheModelFileButNothingElse() {
        byte[] served = variant(c -> c.remove("file"));
        assertThat(ModelCardReader.readRemote(served, "http://gpu-host:8600").labels()).hasSize(4);
        assertThat(assertThrows(ModelPackageException.class, () -> ModelCardReader.read(served, "pkg")))
                .hasMessageContaining("field 'file' is required");
        assertThat(assertThrows(ModelPackageException.class, () -> ModelCardReader.readRemote(
                variant(c -> input(c).remove("windows")), "http://gpu-host:8600")))
                .hasMessageStartingWith("model package http://gpu-host:8600: ")
                .hasMessageContaining("field 'input.windows' is required");
    }

    @Test
    void aContractCardHoldsAnatomyLabelsDomainAndConfidence() {
        ModelCard card = Cards.contract();
        assertThat(card.findingLabels()).extracting(ModelCard.Label::name).containsExactly("nodule", "liver lesion");
        assertThat(card.anatomyLabels()).extracting(ModelCard.Label::name).containsExactly("lung", "liver");
        assertThat(card.label(3).orElseThrow().color()).isEmpty();
        assertThat(card.label("nodule").orElseThrow().plausibility().larger().code().concept())
                .isEqualTo(CodedConcept.sct("4147007", "Mass"));
        assertThat(card.input().sliceSpacingMm()).isEqualTo(2.5);
        assertThat(card.domain().sliceThicknessMm()).containsExactly(0.625, 5.0);
        assertThat(card.confidence().lowBelow()).isEqualTo(0.7);
    }

    @Test
    void aCardWithoutTheNewerFieldsReadsWithTheirDefaults() {
        ModelCard card = ModelCardReader.read(variant(c -> {
            c.remove("domain");
            c.remove("confidence");
            input(c).remove("sliceSpacingMm");
            c.get("labels").forEach(l -> ((ObjectNode) l).remove(List.of("kind", "plausibility")));
        }), "pkg");
        assertThat(card.domain()).isNull();
        assertThat(card.confidence().lowBelow()).isNull();
        assertThat(card.input().sliceSpacingMm()).isNull();
        assertThat(card.labels()).allSatisfy(l -> assertThat(l.kind()).isEqualTo(ModelCard.Label.FINDING));
    }

    @Test
    void aLabelMayNameNoSite() {
        ModelCard card = ModelCardReader.read(variant(c -> label(c, 0).remove("site")), "pkg");
        assertThat(card.label(1).orElseThrow().siteConcept()).isNull();
        assertThat(card.label(2).orElseThrow().siteConcept()).isEqualTo(CodedConcept.sct("10200004", "Liver"));
    }
}
