package org.groundflow.dicomweb.sr;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.Uid;

/**
 * What {@link MeasurementReportReader} found in a TID 1500 measurement report.
 *
 * @param verification the Verifying Observer when {@code verified}, else null
 * @param personObserver the person observer's name (the signing radiologist), or null
 * @param algorithm    the device observer (name, manufacturer, UID) with the algorithm version of the groups
 * @param predecessor  the report this one amends, or null
 * @param groups       the measurement groups, in document order
 */
public record MeasurementReportContent(
        Uid sopInstanceUid,
        Uid seriesInstanceUid,
        Uid studyInstanceUid,
        int instanceNumber,
        boolean complete,
        boolean verified,
        boolean preliminary,
        Verification verification,
        String personObserver,
        Algorithm algorithm,
        CodedConcept procedureReported,
        InstanceReference predecessor,
        List<ReportedGroup> groups) {

    public MeasurementReportContent {
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
        groups = List.copyOf(groups);
    }

    /** The group of a segment of a SEG instance, if the report has one. */
    public Optional<ReportedGroup> groupOf(Uid segmentation, int segmentNumber) {
        return groups.stream().filter(g -> g.segmentationInstanceUid().equals(segmentation)
                && g.group().segmentNumber() == segmentNumber).findFirst();
    }

    /**
     * A measurement group as read, with what it points at outside the report.
     *
     * @param segmentationInstanceUid the SEG instance of its Referenced Segment item
     * @param sourceSeriesInstanceUid its "Source series for segmentation"
     */
    public record ReportedGroup(MeasurementGroup group, Uid segmentationInstanceUid, Uid sourceSeriesInstanceUid) {

        public ReportedGroup {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(segmentationInstanceUid, "segmentationInstanceUid");
        }
    }
}
