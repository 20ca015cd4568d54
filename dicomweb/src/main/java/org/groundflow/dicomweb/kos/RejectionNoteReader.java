package org.groundflow.dicomweb.kos;

import static org.groundflow.dicomweb.seg.DicomAttributes.code;
import static org.groundflow.dicomweb.seg.DicomAttributes.tag;
import static org.groundflow.dicomweb.seg.DicomAttributes.text;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.DicomWebException;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.sr.InstanceReference;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.SequenceAttribute;

/** Reads a rejection note (a Key Object Selection Document) back: its title, reason and the instances it withdraws. */
public final class RejectionNoteReader {

    /**
     * What a rejection note says.
     *
     * @param title    the document title, e.g. the code of {@link org.groundflow.dicomweb.client.RejectionReason#PATIENT_SAFETY}
     * @param reason   the Key Object Description, or null
     * @param rejected the instances listed in the Current Requested Procedure Evidence Sequence
     */
    public record Content(Uid sopInstanceUid, Uid seriesInstanceUid, Uid studyInstanceUid, CodedConcept title,
                          String reason, List<InstanceReference> rejected) {
    }

    private RejectionNoteReader() {
    }

    public static Content read(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        AttributeList list = new AttributeList();
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bytes))) {
            list.read(in);
        } catch (IOException | DicomException | RuntimeException e) {
            throw new DicomWebException("cannot read a rejection note from " + bytes.length + " bytes: " + e.getMessage(), e);
        }
        String sop = text(list, "SOPInstanceUID");
        if (!RejectionNote.SOP_CLASS_UID.value().equals(text(list, "SOPClassUID"))) {
            throw new DicomWebException("instance " + sop + " is not a Key Object Selection Document (SOP Class "
                    + text(list, "SOPClassUID") + ")");
        }
        Uid study = Uid.of(text(list, "StudyInstanceUID"));
        List<InstanceReference> rejected = new ArrayList<>();
        for (AttributeList studyItem : items(list, "CurrentRequestedProcedureEvidenceSequence")) {
            Uid referencedStudy = Uid.of(text(studyItem, "StudyInstanceUID"));
            for (AttributeList series : items(studyItem, "ReferencedSeriesSequence")) {
                Uid seriesUid = Uid.of(text(series, "SeriesInstanceUID"));
                for (AttributeList instance : items(series, "ReferencedSOPSequence")) {
                    rejected.add(new InstanceReference(referencedStudy, seriesUid,
                            Uid.of(text(instance, "ReferencedSOPClassUID")),
                            Uid.of(text(instance, "ReferencedSOPInstanceUID"))));
                }
            }
        }
        String reason = null;
        for (AttributeList item : items(list, "ContentSequence")) {
            if ("TEXT".equals(text(item, "ValueType"))
                    && RejectionNote.KEY_OBJECT_DESCRIPTION.equals(code(item, "ConceptNameCodeSequence"))) {
                String value = Attribute.getSingleStringValueOrNull(item, tag("TextValue"));
                reason = value == null ? null : value.stripTrailing(); // UT is padded to an even length
            }
        }
        return new Content(Uid.of(sop), Uid.of(text(list, "SeriesInstanceUID")), study,
                code(list, "ConceptNameCodeSequence"), reason, List.copyOf(rejected));
    }

    private static List<AttributeList> items(AttributeList list, String keyword) {
        List<AttributeList> items = new ArrayList<>();
        if (list.get(tag(keyword)) instanceof SequenceAttribute sequence) {
            for (int i = 0; i < sequence.getNumberOfItems(); i++) {
                items.add(sequence.getItem(i).getAttributeList());
            }
        }
        return items;
    }
}
