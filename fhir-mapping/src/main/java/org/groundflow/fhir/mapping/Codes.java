package org.groundflow.fhir.mapping;

import java.util.Map;
import java.util.Optional;

/** Code systems, identifier systems and codes used in the published resources, each named with its source. */
final class Codes {

    /** SNOMED CT (the FHIR system for DICOM's "SCT"). */
    static final String SNOMED = "http://snomed.info/sct";
    /** LOINC (DICOM's "LN"). */
    static final String LOINC = "http://loinc.org";
    /** DICOM controlled terminology, PS3.16 (DICOM's "DCM"). */
    static final String DICOM_DCM = "http://dicom.nema.org/resources/ontology/DCM";
    /** UCUM units. */
    static final String UCUM = "http://unitsofmeasure.org";
    /** HL7 v2 table 0074, diagnostic service section. */
    static final String V2_0074 = "http://terminology.hl7.org/CodeSystem/v2-0074";
    /** HL7 v2 table 0203, identifier type. */
    static final String V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";
    /** FHIR observation-category. */
    static final String OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
    /** FHIR endpoint-connection-type. */
    static final String ENDPOINT_CONNECTION_TYPE = "http://terminology.hl7.org/CodeSystem/endpoint-connection-type";

    /** FHIR provenance-participant-type (author, verifier, assembler). */
    static final String PROVENANCE_PARTICIPANT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";
    /** HL7 v3 DataOperation: the Provenance activity of a draft (CREATE), an amendment (UPDATE), a retraction (NULLIFY). */
    static final String V3_DATA_OPERATION = "http://terminology.hl7.org/CodeSystem/v3-DataOperation";
    /** HL7 v3 DocumentCompletion: LA "legally authenticated", the Provenance activity of a sign-off. */
    static final String V3_DOCUMENT_COMPLETION = "http://terminology.hl7.org/CodeSystem/v3-DocumentCompletion";
    /** ASTM E1762-95 signature types (FHIR's signature-type value set). */
    static final String SIGNATURE_TYPE = "urn:iso-astm:E1762-95:2013";
    /** FHIR data-absent-reason extension and its code system. */
    static final String DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";

    /** Identifier system for DICOM UIDs; the value is "urn:oid:" + UID. */
    static final String DICOM_UID = "urn:dicom:uid";
    /** Identifier system for URLs (RFC 3986), used for the DICOMweb Endpoint. */
    static final String URI = "urn:ietf:rfc:3986";
    /** Identifier system for the organisation that performs the reads, by its configured name. */
    static final String GROUNDFLOW_ORGANIZATION = "urn:groundflow:organization";
    /** Identifier system for Groundflow user names (the signing radiologist). */
    static final String GROUNDFLOW_USER = "urn:groundflow:user";
    /** Identifier system for Groundflow reads (the DiagnosticReport); the value is the read id. */
    static final String GROUNDFLOW_READ = "urn:groundflow:read";
    /** Identifier system for one finding of a read (an Observation); the value is "readId/findingNumber". */
    static final String GROUNDFLOW_FINDING = "urn:groundflow:finding";

    /** Extension pointing an Observation at the segment that grounds it: sub-extensions below. */
    static final String SEGMENT_EXTENSION = "http://groundflow.org/fhir/StructureDefinition/segmentation-segment";
    static final String SEGMENT_EXTENSION_SOP_INSTANCE = "sopInstanceUid";
    static final String SEGMENT_EXTENSION_NUMBER = "segmentNumber";
    /** The words of the sentence that the segment outlines, while the signed sentence still contains them. */
    static final String SEGMENT_EXTENSION_PHRASE = "groundedPhrase";

    /** LOINC 18748-4 "Diagnostic imaging study": the report's code. */
    static final String REPORT_CODE = "18748-4";
    static final String REPORT_DISPLAY = "Diagnostic imaging study";
    /** v2-0074 RAD "Radiology": the report's category. */
    static final String RADIOLOGY = "RAD";
    /** LOINC LP29684-5 "Radiology": the report's category as US Core's DiagnosticReport category value set has it. */
    static final String RADIOLOGY_LOINC = "LP29684-5";
    /** E1762-95 1.2.840.10065.1.12.1.5 "Verification Signature": the seal over the report the radiologist signed off. */
    static final String VERIFICATION_SIGNATURE = "1.2.840.10065.1.12.1.5";
    /** observation-category "imaging". */
    static final String IMAGING = "imaging";
    /** v2-0203 ACSN "Accession ID". */
    static final String ACCESSION = "ACSN";
    /** DCM "CT" (CID 29 acquisition modality): the modality of the series read. */
    static final String MODALITY_CT = "CT";
    /** endpoint-connection-type "dicom-wado-rs". */
    static final String WADO_RS = "dicom-wado-rs";

    /** SNOMED CT 103339001 "Long axis" (DICOM CID 7470): longest in-plane diameter, in mm. */
    static final Measure DIAMETER = new Measure(SNOMED, "103339001", "Long axis", "Longest axial diameter", "mm", "mm", 1);
    /** SNOMED CT 118565006 "Volume" (DICOM CID 7470): segment volume, in mL. */
    static final Measure VOLUME = new Measure(SNOMED, "118565006", "Volume", "Volume", "mL", "mL", 3);
    /** Code system of what Groundflow's models say beyond the image (no standard concept names a model's confidence). */
    static final String GROUNDFLOW_MODEL_OUTPUT = "http://groundflow.org/fhir/CodeSystem/model-output";
    /**
     * Groundflow model-output "confidence": the model's confidence in the finding, the mean probability of its label
     * over its segment, 0..1 (UCUM "1"). The same concept as the SR's 99GROUNDFLOW CONFIDENCE.
     */
    static final Measure CONFIDENCE = new Measure(GROUNDFLOW_MODEL_OUTPUT, "confidence", "Model confidence",
            "Model confidence (mean probability of the label over its segment)", "1", "1", 2);
    /** DCM 112031 "Attenuation Coefficient" (DICOM CID 7470), as the mean over the segment, in Hounsfield units. */
    static final Measure MEAN_ATTENUATION = new Measure(DICOM_DCM, "112031", "Attenuation Coefficient",
            "Mean attenuation", "[hnsf'U]", "HU", 1);

    /** DICOM coding scheme designators (PS3.16 table 8-1) with the FHIR system each maps to. */
    private static final Map<String, String> SCHEMES = Map.of(
            "SCT", SNOMED,
            "LN", LOINC,
            "DCM", DICOM_DCM);

    private Codes() {
    }

    /** The FHIR code system for a DICOM coding scheme designator, if this module knows it. */
    static Optional<String> fhirSystem(String codingSchemeDesignator) {
        return Optional.ofNullable(SCHEMES.get(codingSchemeDesignator));
    }

    /**
     * One measurement component: its code, the UCUM unit and how many decimals the published value keeps.
     */
    record Measure(String system, String code, String display, String text, String ucum, String unitDisplay,
                   int decimals) {
    }
}
