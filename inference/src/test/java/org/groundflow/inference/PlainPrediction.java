package org.groundflow.inference;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import org.groundflow.dicomweb.volume.ImageVolume;

/**
 * The model's labels and probabilities by the plain path, for comparison with {@link SegmentationModel#predict}: per
 * batch of {@link SegmentationModel#DEFAULT_BATCH_SLICES} slices, every slice's context sampled and windowed into a
 * new array ({@code Math.min(1, Math.max(0, (HU - lower) / width))}), copied into a tensor, forward, softmax of logits,
 * copied out, best class per pixel (the first wins a tie), and labels back on the source voxels.
 */
final class PlainPrediction implements AutoCloseable {

    private final ZooModel<NDList, NDList> model;
    private final ModelCard card;

    private PlainPrediction(ZooModel<NDList, NDList> model, ModelCard card) {
        this.model = model;
        this.card = card;
    }

    static PlainPrediction load(ModelPackage modelPackage) throws Exception {
        String file = modelPackage.card().file();
        return new PlainPrediction(Criteria.builder().setTypes(NDList.class, NDList.class).optEngine("PyTorch")
                .optModelPath(modelPackage.directory())
                .optModelName(file.substring(0, file.length() - ".pt".length()))
                .optTranslator(new NoopTranslator(null)).build().loadModel(), modelPackage.card());
    }

    LabelMap predict(ImageVolume volume) throws Exception {
        ModelCard.Input input = card.input();
        int classes = card.output().classes();
        ModelGrid grid = ModelGrid.over(volume.geometry(), input);
        int size = grid.size();
        int context = input.contextSlices();
        int windows = input.windows().size();
        byte[] labels = new byte[size * grid.slices()];
        float[] best = new float[labels.length];
        try (NDManager manager = model.getNDManager().newSubManager();
             Predictor<NDList, NDList> predictor = model.newPredictor()) {
            for (int first = 0; first < grid.slices(); first += SegmentationModel.DEFAULT_BATCH_SLICES) {
                int count = Math.min(SegmentationModel.DEFAULT_BATCH_SLICES, grid.slices() - first);
                float[] batch = new float[count * input.channels() * size];
                float[] hu = new float[size];
                for (int n = 0; n < count; n++) {
                    for (int k = 0; k <= 2 * context; k++) {
                        grid.sample(volume, Math.max(0, Math.min(grid.slices() - 1, first + n - context + k)), hu);
                        for (int c = 0; c < windows; c++) {
                            ModelCard.Window w = input.windows().get(c);
                            int base = ((n * (2 * context + 1) + k) * windows + c) * size;
                            for (int i = 0; i < size; i++) {
                                batch[base + i] = Math.min(1f, Math.max(0f,
                                        (hu[i] - (float) w.lower()) / (float) w.width()));
                            }
                        }
                    }
                }
                NDArray x = manager.create(batch, new Shape(count, input.channels(), input.rows(), input.columns()));
                NDList out = predictor.predict(new NDList(x));
                out.attach(manager);
                NDArray scores = out.singletonOrThrow();
                float[] p = (card.output().logits() ? scores.softmax(1) : scores).toFloatArray();
                for (int n = 0; n < count; n++) {
                    for (int i = 0; i < size; i++) {
                        int label = 0;
                        for (int c = 1; c < classes; c++) {
                            if (p[(n * classes + c) * size + i] > p[(n * classes + label) * size + i]) {
                                label = c;
                            }
                        }
                        labels[(first + n) * size + i] = (byte) label;
                        best[(first + n) * size + i] = p[(n * classes + label) * size + i];
                    }
                }
            }
        }
        return grid.back(labels, best);
    }

    @Override
    public void close() {
        model.close();
    }
}
