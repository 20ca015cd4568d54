package org.groundflow.dicomweb.sr;

import static org.groundflow.dicomweb.seg.DicomAttributes.item;
import static org.groundflow.dicomweb.seg.DicomAttributes.text;
import static org.groundflow.dicomweb.sr.ContentItems.child;
import static org.groundflow.dicomweb.sr.ContentItems.children;
import static org.groundflow.dicomweb.sr.ContentItems.codeValue;
import static org.groundflow.dicomweb.sr.ContentItems.concept;
import static org.groundflow.dicomweb.sr.ContentItems.valueType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.Uid;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;

/** Reads a TID 1500 measurement report back, checking the parts Groundflow relies on. */
public final class MeasurementReportReader {

    private static final Pattern DATE_TIME = Pattern.compile("(\\d{14})(?:\\.\\d{1,6})?([+-]\\d{4})?");

    private MeasurementReportReader() {
    }

    public static MeasurementReportContent read(Path file) {
        Objects.requireNonNull(file, "file");
        AttributeList list = new AttributeList();
        try {
            list.read(file.toFile());
        } catch (IOException | DicomException | RuntimeException e) {
            throw new MeasurementReportException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return decode(list);
    }

    public static MeasurementReportContent read(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        AttributeList list = new AttributeList();
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bytes))) {
            list.read(in);
        } catch (IOException | DicomException | RuntimeException e) {
            throw new MeasurementReportException("cannot read a report from " + bytes.length + " bytes: " + e.getMessage(), e);
        }
        return decode(list);
    }

    private static MeasurementReportContent decode(AttributeList list) {
        String sop = text(list, "SOPInstanceUID");
        String sopClass = text(list, "SOPClassUID");
        if (!MeasurementReport.SOP_CLASS_UID.value().equals(sopClass)) {
            throw new MeasurementReportException("instance " + sop + " is not a Comprehensive 3D SR (SOP Class " + sopClass + ")");
        }
        if (!"CONTAINER".equals(valueType(list)) || !ReportCodes.IMAGING_MEASUREMENT_REPORT.value().equals(codeValue(concept(list)))) {
            throw new MeasurementReportException("report " + sop + " is not an Imaging Measurement Report (TID 1500): its root is "
                    + valueType(list) + " " + concept(list));
        }
        List<AttributeList> root = children(list);
        AttributeList measurements = child(root, ReportCodes.IMAGING_MEASUREMENTS, "CONTAINER");
        if (measurements == null) {
            throw new MeasurementReportException("report " + sop + " has no Imaging Measurements container");
        }
        List<ReportGroups.Read> groups = new ArrayList<>();
        for (AttributeList group : children(measurements)) {
            if (ReportCodes.MEASUREMENT_GROUP.value().equals(codeValue(concept(group)))) {
                groups.add(ReportGroups.read(group, sop));
            }
        }
        AttributeList procedure = child(root, ReportCodes.PROCEDURE_REPORTED, "CODE");
        boolean verified = "VERIFIED".equals(text(list, "VerificationFlag"));
        return new MeasurementReportContent(
                uid(sop, sop, "SOPInstanceUID"),
                uid(text(list, "SeriesInstanceUID"), sop, "SeriesInstanceUID"),
                uid(text(list, "StudyInstanceUID"), sop, "StudyInstanceUID"),
                Attribute.getSingleIntegerValueOrDefault(list, TagFromName.InstanceNumber, 0),
                "COMPLETE".equals(text(list, "CompletionFlag")),
                verified,
                !"FINAL".equals(text(list, "PreliminaryFlag")),
                verified ? verification(list, sop) : null,
                ContentItems.personObserver(root),
                ContentItems.deviceObserver(root, groups.isEmpty() ? null : groups.get(0).algorithmVersion()),
                procedure == null ? null : ContentItems.code(procedure, "ConceptCodeSequence"),
                predecessor(list, sop),
                groups.stream().map(ReportGroups.Read::reported).toList());
    }

    private static Verification verification(AttributeList list, String sop) {
        AttributeList verifier = item(list, "VerifyingObserverSequence");
        if (verifier == null) {
            throw new MeasurementReportException("report " + sop + " is VERIFIED but has no Verifying Observer");
        }
        try {
            return new Verification(text(verifier, "VerifyingObserverName"), text(verifier, "VerifyingOrganization"),
                    dateTime(text(verifier, "VerificationDateTime"), text(list, "TimezoneOffsetFromUTC")));
        } catch (IllegalArgumentException e) {
            throw new MeasurementReportException("report " + sop + ": invalid Verifying Observer: " + e.getMessage(), e);
        }
    }

    private static InstanceReference predecessor(AttributeList list, String sop) {
        AttributeList study = item(list, "PredecessorDocumentsSequence");
        if (study == null) {
            return null;
        }
        AttributeList series = item(study, "ReferencedSeriesSequence");
        AttributeList instance = series == null ? null : item(series, "ReferencedSOPSequence");
        if (instance == null) {
            throw new MeasurementReportException("report " + sop + ": Predecessor Documents Sequence names no instance");
        }
        return new InstanceReference(uid(text(study, "StudyInstanceUID"), sop, "predecessor StudyInstanceUID"),
                uid(text(series, "SeriesInstanceUID"), sop, "predecessor SeriesInstanceUID"),
                uid(text(instance, "ReferencedSOPClassUID"), sop, "predecessor ReferencedSOPClassUID"),
                uid(text(instance, "ReferencedSOPInstanceUID"), sop, "predecessor ReferencedSOPInstanceUID"));
    }

    /** A DT value; without its own offset, in the instance's Timezone Offset From UTC, else UTC. */
    static OffsetDateTime dateTime(String value, String defaultOffset) {
        Matcher m = DATE_TIME.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a DICOM date-time with seconds: '" + value + "'");
        }
        String offset = m.group(2) != null ? m.group(2) : defaultOffset.isEmpty() ? "+0000" : defaultOffset;
        return OffsetDateTime.of(java.time.LocalDateTime.parse(m.group(1),
                java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss")), ZoneOffset.of(offset.substring(0, 3)
                + ":" + offset.substring(3)));
    }

    static Uid uid(String value, String sop, String name) {
        try {
            return Uid.of(value);
        } catch (IllegalArgumentException e) {
            throw new MeasurementReportException("report " + sop + ": malformed " + name + ": " + e.getMessage(), e);
        }
    }

    static CodedConcept requireCode(CodedConcept code, String sop, String what) {
        if (code == null) {
            throw new MeasurementReportException("report " + sop + ": " + what + " has no valid code");
        }
        return code;
    }
}
