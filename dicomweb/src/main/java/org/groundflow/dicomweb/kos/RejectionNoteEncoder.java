package org.groundflow.dicomweb.kos;

import static org.groundflow.dicomweb.seg.DicomAttributes.put;
import static org.groundflow.dicomweb.seg.DicomAttributes.putCode;
import static org.groundflow.dicomweb.seg.DicomAttributes.putIntegers;
import static org.groundflow.dicomweb.seg.DicomAttributes.putSequence;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.seg.DicomAttributes;
import org.groundflow.dicomweb.seg.Segmentation;
import org.groundflow.dicomweb.sr.InstanceReference;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TransferSyntax;

/** Encodes a checked {@link RejectionNote.Builder} into the modules of the Key Object Selection Document IOD. */
final class RejectionNoteEncoder {

    private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss");
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("xx");
    private static final String SOURCE_AE = "GROUNDFLOW";

    private RejectionNoteEncoder() {
    }

    static AttributeList encode(RejectionNote.Builder b, OffsetDateTime when) {
        try {
            AttributeList list = new AttributeList();
            put(list, "SOPClassUID", RejectionNote.SOP_CLASS_UID.value());
            put(list, "SOPInstanceUID", b.sopInstanceUid.value());
            put(list, "InstanceCreationDate", DA.format(when));
            put(list, "InstanceCreationTime", TM.format(when));
            put(list, "TimezoneOffsetFromUTC", OFFSET.format(when));
            DicomAttributes.putPatientAndStudy(list, b.study, b.studyUid);
            DicomAttributes.putSeries(list, "KO", b.seriesInstanceUid, b.seriesNumber, DA.format(when), TM.format(when),
                    "Rejection note");
            putSequence(list, "ReferencedPerformedProcedureStepSequence");
            put(list, "Manufacturer", b.manufacturer);
            putIntegers(list, "InstanceNumber", 1);
            put(list, "ContentDate", DA.format(when));
            put(list, "ContentTime", TM.format(when));
            putSequence(list, "CurrentRequestedProcedureEvidenceSequence", evidence(b.studyUid, b.rejected));
            content(list, b);
            list.insertSuitableSpecificCharacterSetForAllStringValues();
            FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, SOURCE_AE);
            return list;
        } catch (DicomException e) {
            throw new IllegalStateException("cannot encode rejection note " + b.sopInstanceUid + ": " + e.getMessage(), e);
        }
    }

    /** SR Document Content (TID 2010): the title, the reason, one reference per withdrawn instance. */
    private static void content(AttributeList list, RejectionNote.Builder b) throws DicomException {
        put(list, "ValueType", "CONTAINER");
        putCode(list, "ConceptNameCodeSequence", b.title.code());
        put(list, "ContinuityOfContent", "SEPARATE");
        AttributeList template = new AttributeList();
        put(template, "MappingResource", "DCMR");
        put(template, "TemplateIdentifier", "2010");
        putSequence(list, "ContentTemplateSequence", template);
        List<AttributeList> items = new ArrayList<>();
        if (b.description != null) {
            AttributeList text = new AttributeList();
            put(text, "RelationshipType", "CONTAINS");
            put(text, "ValueType", "TEXT");
            putCode(text, "ConceptNameCodeSequence", RejectionNote.KEY_OBJECT_DESCRIPTION);
            put(text, "TextValue", b.description);
            items.add(text);
        }
        for (InstanceReference instance : b.rejected) {
            AttributeList reference = new AttributeList();
            put(reference, "ReferencedSOPClassUID", instance.sopClassUid().value());
            put(reference, "ReferencedSOPInstanceUID", instance.sopInstanceUid().value());
            AttributeList item = new AttributeList();
            put(item, "RelationshipType", "CONTAINS");
            put(item, "ValueType", isImage(instance.sopClassUid()) ? "IMAGE" : "COMPOSITE");
            putSequence(item, "ReferencedSOPSequence", reference);
            items.add(item);
        }
        putSequence(list, "ContentSequence", items.toArray(AttributeList[]::new));
    }

    /** Images (a SEG among them) are IMAGE items; other objects, an SR for one, COMPOSITE items. */
    private static boolean isImage(Uid sopClass) {
        return sopClass.equals(Segmentation.SOP_CLASS_UID) || SOPClass.isImageStorage(sopClass.value());
    }

    /** Hierarchical SOP Instance Reference macro (PS3.3 Table C.17-3): the study, its series, their instances. */
    private static AttributeList evidence(Uid study, List<InstanceReference> instances) throws DicomException {
        Map<Uid, List<InstanceReference>> bySeries = new LinkedHashMap<>();
        instances.forEach(i -> bySeries.computeIfAbsent(i.seriesInstanceUid(), s -> new ArrayList<>()).add(i));
        List<AttributeList> series = new ArrayList<>();
        for (Map.Entry<Uid, List<InstanceReference>> entry : bySeries.entrySet()) {
            List<AttributeList> sops = new ArrayList<>();
            for (InstanceReference instance : entry.getValue()) {
                AttributeList sop = new AttributeList();
                put(sop, "ReferencedSOPClassUID", instance.sopClassUid().value());
                put(sop, "ReferencedSOPInstanceUID", instance.sopInstanceUid().value());
                sops.add(sop);
            }
            AttributeList item = new AttributeList();
            put(item, "SeriesInstanceUID", entry.getKey().value());
            putSequence(item, "ReferencedSOPSequence", sops.toArray(AttributeList[]::new));
            series.add(item);
        }
        AttributeList item = new AttributeList();
        put(item, "StudyInstanceUID", study.value());
        putSequence(item, "ReferencedSeriesSequence", series.toArray(AttributeList[]::new));
        return item;
    }
}
