package org.groundflow.workflow.intake;

/** Names of the study-intake process's elements and variables; the process model and the tests use the same. */
public final class IntakeVariables {

    public static final String PROCESS_KEY = "study-intake";
    public static final String FIND_TASK = "FindStableStudies";

    /** Inputs of the find step (local variables of the task, from its input parameters). */
    public static final String MODALITY = "modality";
    public static final String BODY_PART = "bodyPart";
    public static final String STATION = "station";
    public static final String STABLE_FOR = "stableFor";
    public static final String LOOK_BACK = "lookBack";

    /** Outputs of the find step. */
    public static final String CANDIDATE_COUNT = "candidateCount";
    public static final String STARTED_READ_COUNT = "startedReadCount";

    /** Who a read started by the intake was requested by (the read's {@code requestedBy}). */
    public static final String REQUESTED_BY = "study-intake";

    private IntakeVariables() {
    }
}
