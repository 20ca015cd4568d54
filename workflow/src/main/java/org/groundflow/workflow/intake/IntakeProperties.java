package org.groundflow.workflow.intake;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The study intake ({@code groundflow.intake.*}): how often the PACS is polled for new studies and which ones start a
 * grounded read. The filters are the defaults of the {@code study-intake} process's inputs; an admin can override
 * them per process in Camunda Modeler.
 *
 * @param enabled   whether the intake polls at all; off by default. Off, the {@code study-intake} process definition
 *                  is suspended at startup, so its timer does not fire
 * @param cycle     timer cycle of the {@code study-intake} process (ISO 8601 repeating interval or cron), e.g. R/PT1M.
 *                  The engine reads it when the process is deployed: a change takes effect with the next deployment
 *                  of the model (or with the engine's {@code reevaluateTimeCycleWhenDue})
 * @param modality  studies that contain a series of this modality (QIDO-RS ModalitiesInStudy), e.g. CT; required
 * @param bodyPart  only studies with a series of this body part (BodyPartExamined), e.g. CHEST; empty: any
 * @param station   only studies with a series from this station (StationName); empty: any
 * @param stableFor how long a study's instance count must stay unchanged before its read starts
 * @param lookBack  only studies whose StudyDate is at most this long ago (ISO 8601 period, e.g. P1D: today and
 *                  yesterday), so that enabling the intake does not read the whole archive; empty: no date limit
 */
@ConfigurationProperties("groundflow.intake")
public record IntakeProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("R/PT1M") String cycle,
        @DefaultValue("CT") String modality,
        @DefaultValue("") String bodyPart,
        @DefaultValue("") String station,
        @DefaultValue("PT2M") Duration stableFor,
        @DefaultValue("P1D") String lookBack) {
}
