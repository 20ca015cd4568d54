package org.groundflow.dicomweb.sr;

import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.seg.Segmentation;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.ContentItem;
import com.pixelmed.dicom.ContentItemFactory;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.StructuredReport;

/** The SR Document Content of a TID 1500 report, built with PixelMed's content items. */
final class ReportContentTree {

    private static final String CONTAINS = "CONTAINS";
    private static final String HAS_CONCEPT_MOD = "HAS CONCEPT MOD";
    private static final String HAS_OBS_CONTEXT = "HAS OBS CONTEXT";
    private static final String TEMPLATES = "DCMR";

    private final ContentItemFactory factory = new ContentItemFactory();

    private ReportContentTree() {
    }

    /** The content tree's attributes (root item: value type, concept name, template, content sequence). */
    static AttributeList build(MeasurementReport.Builder b, org.groundflow.dicomweb.CodedConcept procedure)
            throws DicomException {
        return new ReportContentTree().root(b, procedure);
    }

    private AttributeList root(MeasurementReport.Builder b, CodedConcept procedure) throws DicomException {
        ContentItem root = factory.makeContainerContentItem(null, null, code(ReportCodes.IMAGING_MEASUREMENT_REPORT),
                true, TEMPLATES, "1500");
        factory.makeCodeContentItem(root, HAS_CONCEPT_MOD, code(ReportCodes.LANGUAGE), code(ReportCodes.ENGLISH_US));
        observers(root, b);
        factory.makeCodeContentItem(root, HAS_CONCEPT_MOD, code(ReportCodes.PROCEDURE_REPORTED), code(procedure));
        imageLibrary(root, b.source);
        ContentItem measurements = factory.makeContainerContentItem(root, CONTAINS, code(ReportCodes.IMAGING_MEASUREMENTS), true);
        for (MeasurementGroup group : b.groups) {
            group(measurements, group, b);
        }
        return new StructuredReport(root).getAttributeList();
    }

    /** TID 1001: the device (the AI) and, once signed, the person (the radiologist). */
    private void observers(ContentItem root, MeasurementReport.Builder b) throws DicomException {
        Algorithm algorithm = b.algorithm;
        factory.makeCodeContentItem(root, HAS_OBS_CONTEXT, code(ReportCodes.OBSERVER_TYPE), code(ReportCodes.DEVICE));
        factory.makeUIDContentItem(root, HAS_OBS_CONTEXT, code(ReportCodes.DEVICE_OBSERVER_UID), algorithm.deviceUid().value());
        factory.makeTextContentItem(root, HAS_OBS_CONTEXT, code(ReportCodes.DEVICE_OBSERVER_NAME), algorithm.name());
        factory.makeTextContentItem(root, HAS_OBS_CONTEXT, code(ReportCodes.DEVICE_OBSERVER_MANUFACTURER), algorithm.manufacturer());
        factory.makeTextContentItem(root, HAS_OBS_CONTEXT, code(ReportCodes.DEVICE_OBSERVER_MODEL_NAME), algorithm.name());
        if (b.verification != null) {
            factory.makeCodeContentItem(root, HAS_OBS_CONTEXT, code(ReportCodes.OBSERVER_TYPE), code(ReportCodes.PERSON));
            factory.makePersonNameContentItem(root, HAS_OBS_CONTEXT, code(ReportCodes.PERSON_OBSERVER_NAME),
                    b.verification.verifierName());
        }
    }

    /** TID 1600: the source images the measurements were made on. */
    private void imageLibrary(ContentItem root, VolumeGeometry source) throws DicomException {
        ContentItem library = factory.makeContainerContentItem(root, CONTAINS, code(ReportCodes.IMAGE_LIBRARY), true);
        ContentItem group = factory.makeContainerContentItem(library, CONTAINS, code(ReportCodes.IMAGE_LIBRARY_GROUP), true);
        String sopClass = source.sopClassUid().value();
        for (Uid instance : source.sopInstanceUids()) {
            factory.makeImageContentItem(group, CONTAINS, null, sopClass, instance.value(), 0, 0, null, null, null, null);
        }
    }

    /** TID 1411: one finding, its sentence, site, measurements and segment. */
    private void group(ContentItem parent, MeasurementGroup group, MeasurementReport.Builder b) throws DicomException {
        ContentItem item = factory.makeContainerContentItem(parent, CONTAINS, code(ReportCodes.MEASUREMENT_GROUP), true,
                TEMPLATES, "1411");
        factory.makeTextContentItem(item, HAS_OBS_CONTEXT, code(ReportCodes.TRACKING_IDENTIFIER), group.trackingIdentifier());
        factory.makeUIDContentItem(item, HAS_OBS_CONTEXT, code(ReportCodes.TRACKING_UID), group.trackingUid().value());
        if (group.category() != null) {
            factory.makeCodeContentItem(item, CONTAINS, code(ReportCodes.FINDING_CATEGORY), code(group.category()));
        }
        factory.makeCodeContentItem(item, CONTAINS, code(ReportCodes.FINDING), code(group.finding()));
        Segmentation seg = b.segmentation;
        factory.makeImageContentItem(item, CONTAINS, code(ReportCodes.REFERENCED_SEGMENT), Segmentation.SOP_CLASS_UID.value(),
                seg.sopInstanceUid().value(), 0, group.segmentNumber(), null, null, null, null);
        factory.makeUIDContentItem(item, CONTAINS, code(ReportCodes.SOURCE_SERIES_FOR_SEGMENTATION),
                b.source.seriesInstanceUid().value());
        if (group.site() != null) {
            ContentItem site = factory.makeCodeContentItem(item, HAS_CONCEPT_MOD, code(ReportCodes.FINDING_SITE),
                    code(group.site().site()));
            if (group.site().laterality() != null) {
                factory.makeCodeContentItem(site, HAS_CONCEPT_MOD, code(ReportCodes.LATERALITY),
                        code(group.site().laterality()));
            }
        }
        factory.makeTextContentItem(item, HAS_CONCEPT_MOD, code(ReportCodes.ALGORITHM_NAME), b.algorithm.name());
        factory.makeTextContentItem(item, HAS_CONCEPT_MOD, code(ReportCodes.ALGORITHM_VERSION), b.algorithm.version());
        for (Measurement measurement : group.measurements()) {
            ContentItem number = factory.makeNumericContentItem(item, CONTAINS, code(measurement.concept()),
                    measurement.decimalString(), code(measurement.unit()));
            if (measurement.derivation() != null) {
                factory.makeCodeContentItem(number, HAS_CONCEPT_MOD, code(ReportCodes.DERIVATION), code(measurement.derivation()));
            }
        }
        factory.makeTextContentItem(item, CONTAINS, code(ReportCodes.FINDING), group.text());
    }

    private static CodedSequenceItem code(CodedConcept concept) throws DicomException {
        return new CodedSequenceItem(concept.value(), concept.scheme(), concept.meaning());
    }
}
