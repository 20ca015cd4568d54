package org.groundflow.dicomweb.sr;

import static org.groundflow.dicomweb.seg.DicomAttributes.tag;
import static org.groundflow.dicomweb.seg.DicomAttributes.text;

import java.util.ArrayList;
import java.util.List;

import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.seg.DicomAttributes;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;

/** Reading SR content items (PS3.3 C.17.3) from their attributes: children, concept names, values. */
final class ContentItems {

    private ContentItems() {
    }

    static List<AttributeList> children(AttributeList item) {
        Attribute attribute = item.get(tag("ContentSequence"));
        List<AttributeList> children = new ArrayList<>();
        if (attribute instanceof SequenceAttribute sequence) {
            for (int i = 0; i < sequence.getNumberOfItems(); i++) {
                children.add(sequence.getItem(i).getAttributeList());
            }
        }
        return children;
    }

    static String valueType(AttributeList item) {
        return text(item, "ValueType");
    }

    static CodedConcept concept(AttributeList item) {
        return code(item, "ConceptNameCodeSequence");
    }

    static CodedConcept code(AttributeList item, String keyword) {
        return DicomAttributes.code(item, keyword);
    }

    static String codeValue(CodedConcept code) {
        return code == null ? null : code.value();
    }

    /** Same code value and scheme; the meaning may be worded differently. */
    static boolean named(AttributeList item, CodedConcept name) {
        CodedConcept concept = concept(item);
        return concept != null && concept.value().equals(name.value()) && concept.scheme().equals(name.scheme());
    }

    /** The first child with this concept name and value type, or null. */
    static AttributeList child(List<AttributeList> items, CodedConcept name, String valueType) {
        return items.stream().filter(i -> named(i, name) && valueType.equals(valueType(i))).findFirst().orElse(null);
    }

    static String textOf(AttributeList item) {
        return item == null ? null : text(item, "TextValue");
    }

    static Uid uidOf(AttributeList item) {
        String value = item == null ? "" : text(item, "UID");
        return value.isEmpty() ? null : Uid.of(value);
    }

    /** The name of the first person observer (TID 1003) at this level, or null. */
    static String personObserver(List<AttributeList> items) {
        AttributeList name = child(items, ReportCodes.PERSON_OBSERVER_NAME, "PNAME");
        return name == null ? null : text(name, "PersonName");
    }

    /** The first device observer (TID 1004) at this level, or null when there is none. */
    static Algorithm deviceObserver(List<AttributeList> items, String version) {
        Uid uid = uidOf(child(items, ReportCodes.DEVICE_OBSERVER_UID, "UIDREF"));
        String name = textOf(child(items, ReportCodes.DEVICE_OBSERVER_NAME, "TEXT"));
        String manufacturer = textOf(child(items, ReportCodes.DEVICE_OBSERVER_MANUFACTURER, "TEXT"));
        if (uid == null || name == null || manufacturer == null || version == null) {
            return null;
        }
        return new Algorithm(name, version, manufacturer, uid);
    }
}
