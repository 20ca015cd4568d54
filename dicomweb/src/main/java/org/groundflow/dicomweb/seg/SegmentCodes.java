package org.groundflow.dicomweb.seg;

import org.groundflow.dicomweb.CodedConcept;

/** Coded concepts for Segmented Property Category (CID 7150) and Type (CID 7151 and others), SNOMED CT. */
public final class SegmentCodes {

    /** CID 7150 Segmentation Property Categories: SCT 49755003. */
    public static final CodedConcept MORPHOLOGICALLY_ABNORMAL_STRUCTURE =
            CodedConcept.sct("49755003", "Morphologically abnormal structure");
    /** CID 7150: SCT 123037004. */
    public static final CodedConcept ANATOMICAL_STRUCTURE = CodedConcept.sct("123037004", "Anatomical Structure");
    /** CID 7150: SCT 85756007. */
    public static final CodedConcept TISSUE = CodedConcept.sct("85756007", "Tissue");

    /** Segmented property type for a nodule (PHANTOM.md label 1): SCT 27925004. */
    public static final CodedConcept NODULE = CodedConcept.sct("27925004", "Nodule");
    /** Segmented property type for a liver lesion (PHANTOM.md label 2): SCT 300331000. */
    public static final CodedConcept LIVER_LESION = CodedConcept.sct("300331000", "Lesion of liver");

    private SegmentCodes() {
    }
}
