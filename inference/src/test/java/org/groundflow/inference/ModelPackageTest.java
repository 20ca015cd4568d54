package org.groundflow.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPackageTest {

    @Test
    void bundledDemoIsCopiedToFilesOnce() {
        ModelPackage demo = ModelPackage.bundledDemo();
        assertThat(demo.modelFile()).isRegularFile();
        assertThat(demo.card().file()).isEqualTo("model.pt");
        assertThat(ModelPackage.bundledDemo()).isSameAs(demo);
    }

    @Test
    void missingCardIsNamed(@TempDir Path dir) {
        ModelPackageException e = assertThrows(ModelPackageException.class, () -> ModelPackage.load(dir));
        assertThat(e).hasMessage("model package " + dir + ": no model.json in the package");
    }

    @Test
    void missingModelFileIsNamed(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("model.json"), Cards.demoJson());
        ModelPackageException e = assertThrows(ModelPackageException.class, () -> ModelPackage.load(dir));
        assertThat(e).hasMessageContaining("model file 'model.pt' named by the card does not exist");
    }

    @Test
    void modelThatDoesNotMatchItsCardIsRefusedOnOpen(@TempDir Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode card = (ObjectNode) json.readTree(Cards.demoJson());
        ((ObjectNode) card.get("output")).put("classes", 6);
        Files.write(dir.resolve("model.json"), json.writeValueAsBytes(card));
        Files.copy(ModelPackage.bundledDemo().modelFile(), dir.resolve("model.pt"));
        ModelPackage pkg = ModelPackage.load(dir);
        ModelPackageException e = assertThrows(ModelPackageException.class, () -> SegmentationModel.open(pkg));
        assertThat(e).hasMessageContaining("model output shape [1, 5, 256, 256] does not match the card: expected [1, 6, 256, 256]");
    }

    @Test
    void fileThatIsNoTorchScriptIsRefusedOnOpen(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("model.json"), Cards.demoJson());
        Files.writeString(dir.resolve("model.pt"), "not a model");
        ModelPackage pkg = ModelPackage.load(dir);
        ModelPackageException e = assertThrows(ModelPackageException.class, () -> SegmentationModel.open(pkg));
        assertThat(e).hasMessageContaining("the engine cannot load model.pt");
    }
}
