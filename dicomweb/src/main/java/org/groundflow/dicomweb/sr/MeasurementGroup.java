package org.groundflow.dicomweb.sr;

import java.util.List;
import java.util.Objects;

import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.Uid;

/**
 * One signed finding as a TID 1411 Volumetric ROI measurement group: what was found and where, the sentence the
 * radiologist signed, its measurements, and the segment of the report's DICOM-SEG that outlines it.
 *
 * @param trackingIdentifier human-readable identifier of the finding across reports, e.g. "Finding 1 (nodule)"
 * @param trackingUid        the finding's identity across reports and amendments
 * @param category           finding category (CID 7150), e.g. morphologically abnormal structure; null when none
 * @param finding            what was found, e.g. SCT 27925004 "Nodule"
 * @param site               where it was found; null when not known (TID 1411's Finding Site is optional)
 * @param text               the finding's sentence as signed
 * @param measurements       numeric measurements of the segment, in UCUM units
 * @param segmentNumber      the segment of the report's SEG that outlines the finding
 */
public record MeasurementGroup(
        String trackingIdentifier,
        Uid trackingUid,
        CodedConcept category,
        CodedConcept finding,
        FindingSite site,
        String text,
        List<Measurement> measurements,
        int segmentNumber) {

    public MeasurementGroup {
        if (trackingIdentifier == null || trackingIdentifier.isBlank()) {
            throw new IllegalArgumentException("trackingIdentifier must not be blank");
        }
        if (trackingIdentifier.length() > 64) {
            throw new IllegalArgumentException("trackingIdentifier must be at most 64 characters, got: " + trackingIdentifier);
        }
        Objects.requireNonNull(trackingUid, "trackingUid of " + trackingIdentifier);
        Objects.requireNonNull(finding, "finding of " + trackingIdentifier);
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("text of " + trackingIdentifier + " must not be blank: it is the signed sentence");
        }
        measurements = List.copyOf(Objects.requireNonNull(measurements, "measurements of " + trackingIdentifier));
        if (segmentNumber < 1 || segmentNumber > 0xFFFF) {
            throw new IllegalArgumentException("segmentNumber of " + trackingIdentifier + " must be 1..65535, got " + segmentNumber);
        }
    }
}
