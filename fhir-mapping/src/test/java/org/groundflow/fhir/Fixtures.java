package org.groundflow.fhir;

import java.time.Instant;
import java.util.List;
import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.StudyContext;
import org.groundflow.dicomweb.Uid;
import org.groundflow.inference.Finding;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.Measurements;
import org.groundflow.inference.ModelIdentity;
import org.groundflow.inference.SignOff;
import org.groundflow.inference.SignedFinding;

/**
 * One valid publication request and single-field variations of it. The read: three AI findings; the radiologist
 * accepted finding 1 as drafted, rejected finding 2 and edited finding 3, and edited the impression.
 */
final class Fixtures {

    static final String READ_ID = "read-2024-0001";
    static final Uid STUDY = Uid.of("1.2.826.0.1.3680043.8.498.10");
    static final Uid SERIES = Uid.of("1.2.826.0.1.3680043.8.498.11");
    static final Uid SEG_SOP = Uid.of("1.2.826.0.1.3680043.8.498.12");
    static final Uid MODEL_UID = Uid.of("2.25.329800735698586629295641978511506172918");
    static final Instant SIGNED_AT = Instant.parse("2024-03-16T09:30:00Z");
    static final String REVIEWER = "dr.vesalius";
    static final String PATIENT_ID = "PAT-0001";
    static final String ORGANISATION = "Groundflow Radiology";
    static final String DICOMWEB = "http://pacs.example/dicom-web";
    static final String PATIENT_SYSTEM = "urn:oid:1.2.826.0.1.3680043.8.498.99";
    static final String EDITED_TEXT = "Small left pleural effusion, new since the prior study.";
    static final String IMPRESSION = "Right upper lobe nodule: follow-up CT in 3 months. Small new left effusion.";

    static final ModelIdentity MODEL = new ModelIdentity("groundflow-chest-ct", "0.1.0", MODEL_UID, "Groundflow");

    static final Finding NODULE = new Finding(1, "nodule", CodedConcept.sct("786838002", "Pulmonary nodule"),
            "A 12 mm nodule in the right upper lobe.", "nodule in the right upper lobe", 1, 0.93,
            new Measurements(12.349, 0.81234, -412.66), "right upper lobe");
    static final Finding EMPHYSEMA = new Finding(2, "emphysema", CodedConcept.sct("87433001", "Pulmonary emphysema"),
            "Centrilobular emphysema in both upper lobes.", "emphysema", 2, 0.61,
            new Measurements(45.0, 110.25, -930.0), "both upper lobes");
    static final Finding EFFUSION = new Finding(3, "effusion", CodedConcept.sct("60046008", "Pleural effusion"),
            "Small left pleural effusion.", "left pleural effusion", 3, 0.88,
            new Measurements(21.0, 85.5, 8.2), "left pleural space");

    private Fixtures() {
    }

    static Interpretation interpretation() {
        return new Interpretation(STUDY, SERIES, MODEL, List.of(NODULE, EMPHYSEMA, EFFUSION),
                "Pulmonary nodule, emphysema and a small pleural effusion.");
    }

    static SignOff signOff() {
        return signOff(List.of(new SignedFinding(NODULE, NODULE.text(), false, 1),
                new SignedFinding(EFFUSION, EDITED_TEXT, true, 2)), List.of(2));
    }

    static SignOff signOff(List<SignedFinding> kept, List<Integer> rejected) {
        return new SignOff(READ_ID, interpretation(), kept, rejected, IMPRESSION, REVIEWER, SIGNED_AT);
    }

    /** A read whose findings the radiologist all rejected: nothing kept, no SEG published. */
    static SignOff signOffNothingKept() {
        return signOff(List.of(), List.of(1, 2, 3));
    }

    static StudyContext study() {
        return studyWithDate("20240315");
    }

    static StudyContext studyWithDate(String studyDate) {
        return new StudyContext("Doe^Jane^^Dr", PATIENT_ID, "19600101", "F", studyDate, "101500", "1", "ACC-42",
                "", "CT CHEST");
    }

    static PublicationRequest request() {
        return new PublicationRequest(signOff(), study(), SERIES, SEG_SOP, DICOMWEB + "/", ORGANISATION);
    }

    static PublicationRequest request(SignOff signOff) {
        return new PublicationRequest(signOff, study(), SERIES, signOff.kept().isEmpty() ? null : SEG_SOP, DICOMWEB,
                ORGANISATION);
    }

    static PublicationRequest request(StudyContext study) {
        return new PublicationRequest(signOff(), study, SERIES, SEG_SOP, DICOMWEB, ORGANISATION);
    }

    static PublicationRequest requestNothingKept() {
        return request(signOffNothingKept());
    }

    static ReportMapper mapper() {
        return new ReportMapper(PATIENT_SYSTEM);
    }
}
