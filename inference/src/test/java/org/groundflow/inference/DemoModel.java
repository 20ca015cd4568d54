package org.groundflow.inference;

/** The shipped demo model, loaded once for all tests in the JVM. */
final class DemoModel {

    private static SegmentationModel model;

    private DemoModel() {
    }

    static synchronized SegmentationModel get() {
        if (model == null) {
            model = SegmentationModel.open(ModelPackage.bundledDemo());
        }
        return model;
    }
}
