package org.groundflow.publication;

import java.util.Objects;
import org.groundflow.dicomweb.seg.Segmentation;
import org.groundflow.dicomweb.sr.MeasurementReport;

/** What one revision of a signed read puts into the PACS: the SEG of its kept findings and the SR over them. */
public record DicomObjects(Revision revision, Segmentation segmentation, MeasurementReport report) {

    public DicomObjects {
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(segmentation, "segmentation");
        Objects.requireNonNull(report, "report");
    }
}
