package org.groundflow.dicomweb.sr;

import static org.groundflow.dicomweb.seg.DicomAttributes.item;
import static org.groundflow.dicomweb.seg.DicomAttributes.tag;
import static org.groundflow.dicomweb.seg.DicomAttributes.text;
import static org.groundflow.dicomweb.sr.ContentItems.child;
import static org.groundflow.dicomweb.sr.ContentItems.children;
import static org.groundflow.dicomweb.sr.ContentItems.code;
import static org.groundflow.dicomweb.sr.ContentItems.concept;
import static org.groundflow.dicomweb.sr.ContentItems.named;
import static org.groundflow.dicomweb.sr.ContentItems.textOf;
import static org.groundflow.dicomweb.sr.ContentItems.uidOf;
import static org.groundflow.dicomweb.sr.ContentItems.valueType;
import static org.groundflow.dicomweb.sr.MeasurementReportReader.requireCode;

import java.util.ArrayList;
import java.util.List;

import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.Uid;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;

/** Reads one TID 1411 measurement group back into a {@link MeasurementGroup}. */
final class ReportGroups {

    /** A group as read, with the algorithm version it names. */
    record Read(MeasurementReportContent.ReportedGroup reported, String algorithmVersion) {
    }

    private ReportGroups() {
    }

    static Read read(AttributeList group, String sop) {
        List<AttributeList> items = children(group);
        String trackingIdentifier = textOf(child(items, ReportCodes.TRACKING_IDENTIFIER, "TEXT"));
        String where = "report " + sop + ", measurement group " + trackingIdentifier;
        AttributeList segment = child(items, ReportCodes.REFERENCED_SEGMENT, "IMAGE");
        AttributeList reference = segment == null ? null : item(segment, "ReferencedSOPSequence");
        if (reference == null) {
            throw new MeasurementReportException(where + " has no Referenced Segment");
        }
        int segmentNumber = Attribute.getSingleIntegerValueOrDefault(reference, tag("ReferencedSegmentNumber"), 0);
        AttributeList siteItem = child(items, ReportCodes.FINDING_SITE, "CODE");
        AttributeList laterality = siteItem == null ? null : child(children(siteItem), ReportCodes.LATERALITY, "CODE");
        AttributeList category = child(items, ReportCodes.FINDING_CATEGORY, "CODE");
        try {
            MeasurementGroup read = new MeasurementGroup(
                    trackingIdentifier,
                    uidOf(child(items, ReportCodes.TRACKING_UID, "UIDREF")),
                    category == null ? null : code(category, "ConceptCodeSequence"),
                    requireCode(code(child(items, ReportCodes.FINDING, "CODE"), "ConceptCodeSequence"), sop, where + " finding"),
                    siteItem == null ? null : new FindingSite(requireCode(code(siteItem, "ConceptCodeSequence"), sop,
                            where + " finding site"), laterality == null ? null : code(laterality, "ConceptCodeSequence")),
                    textOf(child(items, ReportCodes.FINDING, "TEXT")),
                    measurements(items, where),
                    segmentNumber);
            Uid segmentation = Uid.of(text(reference, "ReferencedSOPInstanceUID"));
            return new Read(new MeasurementReportContent.ReportedGroup(read, segmentation,
                    uidOf(child(items, ReportCodes.SOURCE_SERIES_FOR_SEGMENTATION, "UIDREF"))),
                    textOf(child(items, ReportCodes.ALGORITHM_VERSION, "TEXT")));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MeasurementReportException(where + " is incomplete: " + e.getMessage(), e);
        }
    }

    private static List<Measurement> measurements(List<AttributeList> items, String where) {
        List<Measurement> measurements = new ArrayList<>();
        for (AttributeList item : items) {
            if (!"NUM".equals(valueType(item))) {
                continue;
            }
            AttributeList value = item(item, "MeasuredValueSequence");
            CodedConcept unit = value == null ? null : code(value, "MeasurementUnitsCodeSequence");
            if (value == null || unit == null) {
                throw new MeasurementReportException(where + ": measurement " + concept(item) + " has no value or unit");
            }
            AttributeList derivation = children(item).stream().filter(c -> named(c, ReportCodes.DERIVATION)).findFirst()
                    .orElse(null);
            measurements.add(new Measurement(concept(item), Double.parseDouble(text(value, "NumericValue")), unit,
                    derivation == null ? null : code(derivation, "ConceptCodeSequence")));
        }
        return measurements;
    }
}
