package org.groundflow.workflow;

import static org.groundflow.workflow.read.ReadVariables.*;

import java.math.BigInteger;
import java.time.Instant;
import java.util.UUID;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.inference.Interpretation;
import org.groundflow.workflow.read.Draft;
import org.groundflow.workflow.read.ReadStore;

/**
 * Reads put straight at the radiologist's review, without retrieval or model: the process started before the review
 * task, the read's row, claim and draft written to the read store as the steps before review would have. For tests of
 * what happens from the sign-off on, many times over.
 */
final class ReadsAtReview {

    record Read(String readId, Uid study, String processInstanceId, String taskId, Draft draft) {
    }

    private final RuntimeService runtime;
    private final TaskService tasks;
    private final ReadStore store;

    ReadsAtReview(RuntimeService runtime, TaskService tasks, ReadStore store) {
        this.runtime = runtime;
        this.tasks = tasks;
        this.store = store;
    }

    /** A read of {@code draft}'s series, at review. */
    Read of(Draft draft, String requestedBy) {
        String readId = UUID.randomUUID().toString();
        Uid study = draft.interpretation().studyInstanceUid();
        ProcessInstance instance = runtime.createProcessInstanceByKey(PROCESS_KEY).businessKey(study.value())
                .setVariable(READ_ID, readId).setVariable(STUDY_INSTANCE_UID, study.value())
                .setVariable(SERIES_INSTANCE_UID, draft.interpretation().seriesInstanceUid().value())
                .setVariable(REQUESTED_BY, requestedBy)
                .setVariable(FINDING_COUNT, draft.interpretation().findings().size())
                .startBeforeActivity(REVIEW_TASK).execute();
        store.claimStudy(study, readId);
        store.started(readId, study, instance.getId(), requestedBy, Instant.now());
        store.saveDraft(readId, draft, Instant.now());
        String taskId = tasks.createTaskQuery().processInstanceId(instance.getId()).singleResult().getId();
        return new Read(readId, study, instance.getId(), taskId, draft);
    }

    /** The same draft under a new study and series UID: the findings, masks and grid of {@code base} elsewhere. */
    static Draft elsewhere(Draft base) {
        return moved(base, newUid(), newUid());
    }

    /** The findings, masks and grid of {@code base} under {@code study} and {@code series}. */
    static Draft moved(Draft base, Uid study, Uid series) {
        Interpretation i = base.interpretation();
        VolumeGeometry g = base.volume();
        return new Draft(new Interpretation(study, series, i.model(), i.findings(), i.impression()), base.masks(),
                new VolumeGeometry(study, series, g.frameOfReferenceUid(), g.sopClassUid(), g.modality(), g.columns(),
                        g.rows(), g.slices(), g.rowSpacing(), g.columnSpacing(), g.sliceSpacing(), g.rowDirection(),
                        g.columnDirection(), g.slicePositions(), g.sopInstanceUids(), g.study()));
    }

    static Uid newUid() {
        return Uid.of("2.25." + new BigInteger(UUID.randomUUID().toString().replace("-", ""), 16));
    }
}
