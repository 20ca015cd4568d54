package org.groundflow.dicomweb.synthetic;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;

/** Puts attributes by keyword, with the value representation from PixelMed's dictionary. */
final class DicomAttributes {

    private static final DicomDictionary DICTIONARY = AttributeList.getDictionary();

    private DicomAttributes() {
    }

    static AttributeTag tag(String keyword) {
        AttributeTag tag = DICTIONARY.getTagFromName(keyword);
        if (tag == null) {
            throw new IllegalStateException("PixelMed's dictionary does not know the keyword " + keyword);
        }
        return tag;
    }

    /** Puts the attribute with the given values; no values gives a zero-length (Type 2 empty) attribute. */
    static void put(AttributeList list, String keyword, String... values) throws DicomException {
        Attribute attribute = AttributeFactory.newAttribute(tag(keyword));
        for (String value : values) {
            attribute.addValue(value);
        }
        list.put(attribute);
    }

    static void putNumbers(AttributeList list, String keyword, double... values) throws DicomException {
        Attribute attribute = AttributeFactory.newAttribute(tag(keyword));
        for (double value : values) {
            attribute.addValue(value);
        }
        list.put(attribute);
    }

    /** A Type 2 attribute, present and empty. */
    static void putEmpty(AttributeList list, String keyword) throws DicomException {
        list.put(AttributeFactory.newAttribute(tag(keyword)));
    }

    static void put(AttributeList list, String keyword, int value) throws DicomException {
        Attribute attribute = AttributeFactory.newAttribute(tag(keyword));
        attribute.addValue(value);
        list.put(attribute);
    }
}
