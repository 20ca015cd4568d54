package org.groundflow.workflow.process;

import static org.groundflow.workflow.read.ReadVariables.*;

import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.groundflow.dicomweb.Uid;
import org.groundflow.workflow.read.StudyRetrieval;
import org.groundflow.workflow.read.StudyRetrieval.NothingToRead;
import org.groundflow.workflow.read.StudyRetrieval.OutsideModelDomain;
import org.groundflow.workflow.read.StudyRetrieval.Retrieval;
import org.groundflow.workflow.read.StudyRetrieval.RetrievedSeries;
import org.springframework.stereotype.Component;

/**
 * Retrieve study: QIDO-RS + WADO-RS of the series to read into the read store. A study without a series the model
 * reads ends the read through the BPMN error {@value org.groundflow.workflow.read.ReadVariables#NO_READABLE_SERIES},
 * one whose series all lie outside the model's domain through
 * {@value org.groundflow.workflow.read.ReadVariables#OUTSIDE_MODEL_DOMAIN}.
 */
@Component("retrieveStudyStep")
public class RetrieveStudyStep implements JavaDelegate {

    private final StudyRetrieval retrieval;

    public RetrieveStudyStep(StudyRetrieval retrieval) {
        this.retrieval = retrieval;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String readId = (String) execution.getVariable(READ_ID);
        Uid study = Uid.of((String) execution.getVariable(STUDY_INSTANCE_UID));
        Retrieval outcome = retrieval.retrieve(readId, study);
        if (outcome instanceof NothingToRead nothing) {
            throw new BpmnError(NO_READABLE_SERIES, nothing.message());
        }
        if (outcome instanceof OutsideModelDomain outside) {
            throw new BpmnError(OUTSIDE_MODEL_DOMAIN, outside.message());
        }
        RetrievedSeries series = (RetrievedSeries) outcome;
        execution.setVariable(SERIES_INSTANCE_UID, series.seriesInstanceUid().value());
        execution.setVariable(INSTANCE_COUNT, series.instanceCount());
    }
}
