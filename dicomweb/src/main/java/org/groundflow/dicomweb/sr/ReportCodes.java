package org.groundflow.dicomweb.sr;

import org.groundflow.dicomweb.CodedConcept;

/**
 * Coded concepts of a TID 1500 Imaging Measurement Report (PS3.16), each with the template row or context group it
 * comes from. The public ones are values a caller chooses (sites, laterality, procedures, units); the others are the
 * fixed concept names of the template rows.
 */
public final class ReportCodes {

    /** CID 4031 Common Anatomic Regions: SCT 39607008 "Lung". */
    public static final CodedConcept LUNG = CodedConcept.sct("39607008", "Lung");
    /** CID 4031: SCT 51185008 "Chest". */
    public static final CodedConcept CHEST = CodedConcept.sct("51185008", "Chest");
    /** CID 244 Laterality: SCT 24028007 "Right". */
    public static final CodedConcept RIGHT = CodedConcept.sct("24028007", "Right");
    /** CID 244 Laterality: SCT 7771000 "Left". */
    public static final CodedConcept LEFT = CodedConcept.sct("7771000", "Left");
    /** CID 100 Quantitative Diagnostic Imaging Procedures: LN 25045-6 "CT unspecified body region". */
    public static final CodedConcept CT_UNSPECIFIED_BODY_REGION = new CodedConcept("25045-6", "LN", "CT unspecified body region");

    /** UCUM millimetre. */
    public static final CodedConcept MILLIMETRE = ucum("mm", "millimeter");
    /** UCUM millilitre. */
    public static final CodedConcept MILLILITRE = ucum("mL", "milliliter");
    /** UCUM Hounsfield unit. */
    public static final CodedConcept HOUNSFIELD_UNIT = ucum("[hnsf'U]", "Hounsfield unit");

    /** CID 7470 Linear Measurements: SCT 103339001 "Long Axis". */
    public static final CodedConcept LONG_AXIS = CodedConcept.sct("103339001", "Long Axis");
    /** CID 7469 Generic Intensity and Size Measurements: SCT 118565006 "Volume". */
    public static final CodedConcept VOLUME = CodedConcept.sct("118565006", "Volume");
    /** CID 7469: DCM 112031 "Attenuation Coefficient". */
    public static final CodedConcept ATTENUATION_COEFFICIENT = dcm("112031", "Attenuation Coefficient");
    /** UCUM "1": a ratio without units, such as a probability. */
    public static final CodedConcept UNITY = ucum("1", "no units");
    /**
     * The model's confidence in a finding (the mean probability of its label over its segment, 0..1): Groundflow's
     * private coding scheme 99GROUNDFLOW, since no DICOM or SNOMED CT concept names a segmentation model's confidence.
     */
    public static final CodedConcept MODEL_CONFIDENCE = new CodedConcept("CONFIDENCE", "99GROUNDFLOW", "Model confidence");
    /** CID 7464 General Region of Interest Measurement Modifiers: SCT 373098007 "Mean". */
    public static final CodedConcept MEAN = CodedConcept.sct("373098007", "Mean");

    /** TID 1500 root: DCM 126000 "Imaging Measurement Report" (CID 7021). */
    static final CodedConcept IMAGING_MEASUREMENT_REPORT = dcm("126000", "Imaging Measurement Report");
    /** TID 1204 row 1: DCM 121049 "Language of Content Item and Descendants". */
    static final CodedConcept LANGUAGE = dcm("121049", "Language of Content Item and Descendants");
    /** CID 5000 Languages: RFC5646 en-US. */
    static final CodedConcept ENGLISH_US = new CodedConcept("en-US", "RFC5646", "English (United States)");
    /** TID 1002 row 1: DCM 121005 "Observer Type". */
    static final CodedConcept OBSERVER_TYPE = dcm("121005", "Observer Type");
    /** CID 270 Observer Type: DCM 121006 "Person". */
    static final CodedConcept PERSON = dcm("121006", "Person");
    /** CID 270: DCM 121007 "Device". */
    static final CodedConcept DEVICE = dcm("121007", "Device");
    /** TID 1003 row 1: DCM 121008 "Person Observer Name". */
    static final CodedConcept PERSON_OBSERVER_NAME = dcm("121008", "Person Observer Name");
    /** TID 1004 row 1: DCM 121012 "Device Observer UID". */
    static final CodedConcept DEVICE_OBSERVER_UID = dcm("121012", "Device Observer UID");
    /** TID 1004 row 2: DCM 121013 "Device Observer Name". */
    static final CodedConcept DEVICE_OBSERVER_NAME = dcm("121013", "Device Observer Name");
    /** TID 1004 row 3: DCM 121014 "Device Observer Manufacturer". */
    static final CodedConcept DEVICE_OBSERVER_MANUFACTURER = dcm("121014", "Device Observer Manufacturer");
    /** TID 1004 row 4: DCM 121015 "Device Observer Model Name". */
    static final CodedConcept DEVICE_OBSERVER_MODEL_NAME = dcm("121015", "Device Observer Model Name");
    /** TID 1500 row 4: DCM 121058 "Procedure reported". */
    static final CodedConcept PROCEDURE_REPORTED = dcm("121058", "Procedure reported");
    /** TID 1600 row 1: DCM 111028 "Image Library". */
    static final CodedConcept IMAGE_LIBRARY = dcm("111028", "Image Library");
    /** TID 1600 row 2: DCM 126200 "Image Library Group". */
    static final CodedConcept IMAGE_LIBRARY_GROUP = dcm("126200", "Image Library Group");
    /** TID 1500 row 6: DCM 126010 "Imaging Measurements". */
    static final CodedConcept IMAGING_MEASUREMENTS = dcm("126010", "Imaging Measurements");
    /** TID 1411 row 1: DCM 125007 "Measurement Group". */
    static final CodedConcept MEASUREMENT_GROUP = dcm("125007", "Measurement Group");
    /** TID 4108 row 1: DCM 112039 "Tracking Identifier". */
    static final CodedConcept TRACKING_IDENTIFIER = dcm("112039", "Tracking Identifier");
    /** TID 4108 row 2: DCM 112040 "Tracking Unique Identifier". */
    static final CodedConcept TRACKING_UID = dcm("112040", "Tracking Unique Identifier");
    /** TID 1411: SCT 276214006 "Finding category". */
    static final CodedConcept FINDING_CATEGORY = CodedConcept.sct("276214006", "Finding category");
    /** TID 1411: DCM 121071 "Finding", as CODE (what was found) and as TEXT (the sentence the radiologist signed). */
    static final CodedConcept FINDING = dcm("121071", "Finding");
    /** TID 1411: DCM 121191 "Referenced Segment". */
    static final CodedConcept REFERENCED_SEGMENT = dcm("121191", "Referenced Segment");
    /** TID 1411: DCM 121232 "Source series for segmentation". */
    static final CodedConcept SOURCE_SERIES_FOR_SEGMENTATION = dcm("121232", "Source series for segmentation");
    /** TID 1419: SCT 363698007 "Finding Site". */
    static final CodedConcept FINDING_SITE = CodedConcept.sct("363698007", "Finding Site");
    /** TID 1419: SCT 272741003 "Laterality", a modifier of the finding site. */
    static final CodedConcept LATERALITY = CodedConcept.sct("272741003", "Laterality");
    /** TID 4019 row 1: DCM 111001 "Algorithm Name". */
    static final CodedConcept ALGORITHM_NAME = dcm("111001", "Algorithm Name");
    /** TID 4019 row 2: DCM 111003 "Algorithm Version". */
    static final CodedConcept ALGORITHM_VERSION = dcm("111003", "Algorithm Version");
    /** TID 1419: DCM 121401 "Derivation" (e.g. Mean), a modifier of a measurement. */
    static final CodedConcept DERIVATION = dcm("121401", "Derivation");
    /**
     * CID 7005 Contributing Equipment Purpose of Reference: DCM 109102 "Processing Equipment", the same purpose the
     * SEG gives the algorithm (see the seg package's encoder for why not IHE AIR's placeholder code).
     */
    static final CodedConcept PROCESSING_EQUIPMENT = dcm("109102", "Processing Equipment");

    private ReportCodes() {
    }

    static CodedConcept dcm(String value, String meaning) {
        return new CodedConcept(value, "DCM", meaning);
    }

    static CodedConcept ucum(String value, String meaning) {
        return new CodedConcept(value, "UCUM", meaning);
    }
}
