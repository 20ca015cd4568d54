package org.groundflow.workflow.read;

import java.util.List;

/** Names of the grounded-read process's variables and elements; the process model and the tests use the same. */
public final class ReadVariables {

    public static final String PROCESS_KEY = "grounded-read";
    public static final String REVIEW_TASK = "RadiologistReview";
    public static final String CONFIRM_NO_FINDING_TASK = "ConfirmNoFinding";
    /** Both user tasks a radiologist signs: a draft with findings, or a read without any. */
    public static final List<String> SIGN_OFF_TASKS = List.of(REVIEW_TASK, CONFIRM_NO_FINDING_TASK);
    public static final String INTERPRET_TOPIC = "groundflow-interpret";
    public static final String RADIOLOGISTS = "radiologists";

    public static final String READ_ID = "readId";
    public static final String STUDY_INSTANCE_UID = "studyInstanceUid";
    public static final String SERIES_INSTANCE_UID = "seriesInstanceUid";
    public static final String INSTANCE_COUNT = "instanceCount";
    public static final String FINDING_COUNT = "findingCount";
    public static final String KEPT_FINDING_COUNT = "keptFindingCount";
    public static final String REVIEWER = "reviewer";
    public static final String SIGNED_AT = "signedAt";
    public static final String SEG_SOP_INSTANCE_UID = "segSopInstanceUid";
    public static final String DIAGNOSTIC_REPORT_ID = "diagnosticReportId";
    public static final String REQUESTED_BY = "requestedBy";
    public static final String ESCALATED = "escalated";
    /**
     * The draft a worker hands over when it completes the interpretation task, as transient variables (never stored
     * by the engine): the interpretation and the series' geometry as JSON text, the masks as MaskCodec bytes. The
     * Interpret step's end keeps them in the read store.
     */
    public static final String DRAFT_INTERPRETATION = "draftInterpretation";
    public static final String DRAFT_MASKS = "draftMasks";
    public static final String DRAFT_VOLUME = "draftVolume";

    /** BPMN error of the retrieve step: the study has no series the model can read. */
    public static final String NO_READABLE_SERIES = "NO_READABLE_SERIES";
    /**
     * BPMN error of the retrieve step: the study has series of the model's modality, none inside the model card's
     * domain; the message names each series and the rule it breaks.
     */
    public static final String OUTSIDE_MODEL_DOMAIN = "OUTSIDE_MODEL_DOMAIN";
    /** End event of a read that ended with nothing to read (no readable series, or none in the model's domain). */
    public static final String NOTHING_TO_READ_END = "NothingToRead";
    /** The code of the BPMN error a read ended with (set by the catching event), e.g. {@value #NO_READABLE_SERIES}. */
    public static final String OUTCOME = "outcome";
    /** The message of that error: which study and what the PACS holds of it. */
    public static final String OUTCOME_MESSAGE = "outcomeMessage";

    private ReadVariables() {
    }
}
