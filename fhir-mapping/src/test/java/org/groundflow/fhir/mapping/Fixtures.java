package org.groundflow.fhir.mapping;

import java.time.Instant;
import java.util.List;
import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.StudyContext;
import org.groundflow.dicomweb.Uid;
import org.groundflow.inference.Finding;
import org.groundflow.inference.Laterality;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.Measurements;
import org.groundflow.inference.ModelIdentity;
import org.groundflow.review.SignOff;
import org.groundflow.review.SignedFinding;

/**
 * One valid publication request and single-field variations of it. The read: three AI findings; the radiologist
 * accepted finding 1 as drafted, rejected finding 2 and edited finding 3, and edited the impression. Later revisions:
 * the AI draft before sign-off, an amendment (finding 3 reworded), an amendment that withdraws finding 3, and the
 * retraction. Public: the FHIR server module's tests publish these to a real server.
 */
public final class Fixtures {

    public static final String READ_ID = "read-2024-0001";
    public static final Uid STUDY = Uid.of("1.2.826.0.1.3680043.8.498.10");
    public static final Uid SERIES = Uid.of("1.2.826.0.1.3680043.8.498.11");
    public static final Uid SEG_SOP = Uid.of("1.2.826.0.1.3680043.8.498.12");
    public static final Uid MODEL_UID = Uid.of("2.25.329800735698586629295641978511506172918");
    public static final Instant SIGNED_AT = Instant.parse("2024-03-16T09:30:00Z");
    public static final String REVIEWER = "dr.vesalius";
    public static final String PATIENT_ID = "PAT-0001";
    public static final String ORGANISATION = "Groundflow Radiology";
    public static final String DICOMWEB = "http://pacs.example/dicom-web";
    public static final String PATIENT_SYSTEM = "urn:oid:1.2.826.0.1.3680043.8.498.99";
    public static final String EDITED_TEXT = "Small left pleural effusion, new since the prior study.";
    public static final String IMPRESSION = "Right upper lobe nodule: follow-up CT in 3 months. Small new left effusion.";

    public static final ModelIdentity MODEL = new ModelIdentity("groundflow-chest-ct", "0.1.0", MODEL_UID, "Groundflow");

    public static final Finding NODULE = new Finding(1, "nodule", CodedConcept.sct("786838002", "Pulmonary nodule"),
            "A 12 mm nodule in the right upper lobe.", "nodule in the right upper lobe", 1, 0.93,
            new Measurements(12.349, 0.81234, -412.66), "right upper lobe", CodedConcept.sct("39607008", "Lung"),
            Laterality.RIGHT);
    public static final Finding EMPHYSEMA = new Finding(2, "emphysema", CodedConcept.sct("87433001", "Pulmonary emphysema"),
            "Centrilobular emphysema in both upper lobes.", "emphysema", 2, 0.61,
            new Measurements(45.0, 110.25, -930.0), "both upper lobes", CodedConcept.sct("39607008", "Lung"),
            Laterality.BILATERAL);
    public static final Finding EFFUSION = new Finding(3, "effusion", CodedConcept.sct("60046008", "Pleural effusion"),
            "Small left pleural effusion.", "left pleural effusion", 3, 0.88,
            new Measurements(21.0, 85.5, 8.2), "left pleural space", CodedConcept.sct("51185008", "Chest"),
            Laterality.LEFT);

    public static final Instant DRAFTED_AT = Instant.parse("2024-03-16T08:00:00Z");
    public static final Instant AMENDED_AT = Instant.parse("2024-03-17T11:00:00Z");
    public static final Instant RETRACTED_AT = Instant.parse("2024-03-18T12:00:00Z");
    public static final String AMENDED_TEXT = "Moderate left pleural effusion, new since the prior study.";
    public static final String AMENDED_IMPRESSION = "Right upper lobe nodule: follow-up CT in 3 months. "
            + "Moderate new left effusion.";
    public static final String CHIEF = "dr.curie";

    private Fixtures() {
    }

    /** The signed read under another read id (tests against one shared server use one read each). */
    public static PublicationRequest request(String readId) {
        return new PublicationRequest(signOff(readId), study(), SERIES, SEG_SOP, DICOMWEB, ORGANISATION);
    }

    public static SignOff signOff(String readId) {
        SignOff base = signOff();
        return new SignOff(readId, base.interpretation(), base.kept(), base.rejected(), base.impression(),
                base.reviewer(), base.signedAt());
    }

    /** The AI draft of a read before sign-off. */
    public static PublicationRequest requestDraft(String readId) {
        return new PublicationRequest(ReportRevision.draft(readId, interpretation(), DRAFTED_AT), study(), SERIES, null,
                DICOMWEB, ORGANISATION);
    }

    /** A second sign-off of a read by another radiologist: finding 3 reworded, finding 1 unchanged. */
    public static SignOff signOffAmended(String readId) {
        return new SignOff(readId, interpretation(), List.of(new SignedFinding(NODULE, NODULE.text(), false, 1),
                new SignedFinding(EFFUSION, AMENDED_TEXT, true, 2)), List.of(2), AMENDED_IMPRESSION, CHIEF, AMENDED_AT);
    }

    /** A second sign-off that withdraws finding 3 and keeps finding 1. */
    public static SignOff signOffWithdrawingEffusion(String readId) {
        return new SignOff(readId, interpretation(), List.of(new SignedFinding(NODULE, NODULE.text(), false, 1)),
                List.of(2, 3), "Right upper lobe nodule: follow-up CT in 3 months.", CHIEF, AMENDED_AT);
    }

    public static PublicationRequest requestAmended(String readId) {
        return request(readId).withRevision(ReportRevision.amended(signOffAmended(readId), signOff(readId)));
    }

    public static PublicationRequest requestWithdrawingEffusion(String readId) {
        return request(readId).withRevision(ReportRevision.amended(signOffWithdrawingEffusion(readId), signOff(readId)));
    }

    /** The retraction of the signed read. */
    public static PublicationRequest requestRetracted(String readId) {
        return request(readId).withRevision(ReportRevision.retracted(signOff(readId), CHIEF, RETRACTED_AT));
    }

    public static Interpretation interpretation() {
        return new Interpretation(STUDY, SERIES, MODEL, List.of(NODULE, EMPHYSEMA, EFFUSION),
                "Pulmonary nodule, emphysema and a small pleural effusion.");
    }

    public static SignOff signOff() {
        return signOff(List.of(new SignedFinding(NODULE, NODULE.text(), false, 1),
                new SignedFinding(EFFUSION, EDITED_TEXT, true, 2)), List.of(2));
    }

    public static SignOff signOff(List<SignedFinding> kept, List<Integer> rejected) {
        return new SignOff(READ_ID, interpretation(), kept, rejected, IMPRESSION, REVIEWER, SIGNED_AT);
    }

    /** A read whose findings the radiologist all rejected: nothing kept, no SEG published. */
    public static SignOff signOffNothingKept() {
        return signOff(List.of(), List.of(1, 2, 3));
    }

    public static StudyContext study() {
        return studyWithDate("20240315");
    }

    public static StudyContext studyWithDate(String studyDate) {
        return new StudyContext("Doe^Jane^^Dr", PATIENT_ID, "19600101", "F", studyDate, "101500", "1", "ACC-42",
                "", "CT CHEST");
    }

    public static PublicationRequest request() {
        return new PublicationRequest(signOff(), study(), SERIES, SEG_SOP, DICOMWEB + "/", ORGANISATION);
    }

    public static PublicationRequest request(SignOff signOff) {
        return new PublicationRequest(signOff, study(), SERIES, signOff.kept().isEmpty() ? null : SEG_SOP, DICOMWEB,
                ORGANISATION);
    }

    public static PublicationRequest request(StudyContext study) {
        return new PublicationRequest(signOff(), study, SERIES, SEG_SOP, DICOMWEB, ORGANISATION);
    }

    public static PublicationRequest requestNothingKept() {
        return request(signOffNothingKept());
    }

    public static ReportMapper mapper() {
        return new ReportMapper(PATIENT_SYSTEM);
    }
}
