package org.groundflow.dicomweb.sr;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.dicomweb.seg.SegmentDescription;

/** The checks a {@link MeasurementReport.Builder} must pass before anything is encoded: cheap ones first. */
final class MeasurementReportRules {

    private MeasurementReportRules() {
    }

    static void check(MeasurementReport.Builder b) {
        requireSet(b.seriesInstanceUid, "seriesInstanceUid");
        requireSet(b.sopInstanceUid, "sopInstanceUid");
        requireSet(b.seriesNumber, "seriesNumber");
        requireSet(b.algorithm, "algorithm (the AI that made the findings)");
        if (b.seriesInstanceUid.equals(b.source.seriesInstanceUid())
                || b.seriesInstanceUid.equals(b.segmentation.seriesInstanceUid())) {
            throw new IllegalArgumentException("seriesInstanceUid must differ from the source and the SEG series, got "
                    + b.seriesInstanceUid);
        }
        if (b.predecessor != null && b.predecessor.sopInstanceUid().equals(b.sopInstanceUid)) {
            throw new IllegalArgumentException("predecessor must be another report, but it has this report's SOP Instance UID "
                    + b.sopInstanceUid);
        }
        if (b.predecessor != null && !b.predecessor.studyInstanceUid().equals(b.source.studyInstanceUid())) {
            throw new IllegalArgumentException("predecessor " + b.predecessor.sopInstanceUid() + " is in study "
                    + b.predecessor.studyInstanceUid() + ", this report in " + b.source.studyInstanceUid());
        }
        checkSource(b.source);
        if (!b.segmentation.studyInstanceUid().equals(b.source.studyInstanceUid())) {
            throw new IllegalArgumentException("segmentation " + b.segmentation.sopInstanceUid() + " is in study "
                    + b.segmentation.studyInstanceUid() + ", the source series in " + b.source.studyInstanceUid());
        }
        checkGroups(b);
    }

    private static void checkSource(VolumeGeometry source) {
        if (source.study() == null) {
            throw new IllegalArgumentException("source volume of series " + source.seriesInstanceUid()
                    + " has no study context (patient and study attributes)");
        }
        if (source.sopClassUid() == null) {
            throw new IllegalArgumentException("source volume of series " + source.seriesInstanceUid()
                    + " has no SOP Class UID; the image library needs it");
        }
    }

    private static void checkGroups(MeasurementReport.Builder b) {
        if (b.groups.isEmpty()) {
            throw new IllegalArgumentException("at least one measurement group is required: a report ties findings to segments");
        }
        Set<Integer> segments = b.segmentation.segments().stream().map(SegmentDescription::number).collect(Collectors.toSet());
        Set<Object> trackingUids = new HashSet<>();
        Set<Integer> referenced = new HashSet<>();
        for (MeasurementGroup group : b.groups) {
            if (!segments.contains(group.segmentNumber())) {
                throw new IllegalArgumentException(group.trackingIdentifier() + " references segment " + group.segmentNumber()
                        + ", but segmentation " + b.segmentation.sopInstanceUid() + " has segments " + segments);
            }
            if (!referenced.add(group.segmentNumber())) {
                throw new IllegalArgumentException(group.trackingIdentifier() + " references segment "
                        + group.segmentNumber() + ", which another group already references");
            }
            if (!trackingUids.add(group.trackingUid())) {
                throw new IllegalArgumentException(group.trackingIdentifier() + " has tracking UID " + group.trackingUid()
                        + ", which another group already has");
            }
        }
    }

    private static void requireSet(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
    }
}
