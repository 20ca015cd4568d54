package org.groundflow.dicomweb.format;

import java.util.Locale;
import java.util.regex.Pattern;

import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;

/** Resolves attribute keywords (PS3.6) to 8-digit hex tags with PixelMed's dictionary. */
public final class DicomTags {

    private static final Pattern HEX_TAG = Pattern.compile("[0-9A-Fa-f]{8}");

    private DicomTags() {
    }

    /**
     * @param keywordOrTag a keyword such as {@code StudyInstanceUID} or a tag such as {@code 0020000D}
     * @return the tag as 8 upper-case hex digits
     * @throws IllegalArgumentException when the keyword is not in the DICOM dictionary
     */
    public static String tag(String keywordOrTag) {
        if (keywordOrTag == null || keywordOrTag.isBlank()) {
            throw new IllegalArgumentException("attribute must be a keyword or an 8-digit hex tag, got: " + keywordOrTag);
        }
        String text = keywordOrTag.strip();
        if (HEX_TAG.matcher(text).matches()) {
            return text.toUpperCase(Locale.ROOT);
        }
        AttributeTag tag = DicomDictionary.StandardDictionary.getTagFromName(text);
        if (tag == null) {
            throw new IllegalArgumentException("attribute must be a keyword of the DICOM dictionary or an 8-digit hex tag, got: "
                    + keywordOrTag);
        }
        return String.format(Locale.ROOT, "%04X%04X", tag.getGroup(), tag.getElement());
    }

    /** Whether the attribute is a sequence (VR SQ) according to the dictionary; false when unknown. */
    public static boolean isSequence(String tag) {
        int group = Integer.parseInt(tag.substring(0, 4), 16);
        int element = Integer.parseInt(tag.substring(4), 16);
        byte[] vr = DicomDictionary.StandardDictionary.getValueRepresentationFromTag(new AttributeTag(group, element));
        return vr != null && vr.length == 2 && vr[0] == 'S' && vr[1] == 'Q';
    }
}
