package org.groundflow.dicomweb.sr;

import org.groundflow.dicomweb.seg.DicomAttributes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.DicomWebException;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.seg.Segmentation;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TransferSyntax;

/**
 * A Comprehensive 3D SR following TID 1500 "Imaging Measurement Report" that ties each signed sentence to its
 * segment: one TID 1411 measurement group per finding with tracking identifier and UID, finding, finding site, the
 * sentence as signed, measurements in UCUM units, a Referenced Segment item pointing at the SEG instance and
 * segment, and the source series. Made in one call; patient and study come from the source volume:
 *
 * <pre>{@code
 * MeasurementReport sr = MeasurementReport.builder(volume, segmentation)
 *         .seriesInstanceUid(seriesUid).sopInstanceUid(sopUid).seriesNumber(9002)
 *         .algorithm(new Algorithm("groundflow-demo-unet", "1.0.0", "Groundflow", deviceUid))
 *         .signedBy(new Verification("Doe^Jane", "Groundflow Radiology", signedAt))
 *         .group(new MeasurementGroup("Finding 1 (nodule)", trackingUid, SegmentCodes.MORPHOLOGICALLY_ABNORMAL_STRUCTURE,
 *                 SegmentCodes.NODULE, new FindingSite(ReportCodes.LUNG, ReportCodes.RIGHT), sentence,
 *                 List.of(Measurement.longAxisMm(12), Measurement.volumeMl(0.8)), 1))
 *         .build();
 * }</pre>
 *
 * Signed reports are VERIFIED (with the Verifying Observer and time), COMPLETE and FINAL; without
 * {@link Builder#signedBy} a report is UNVERIFIED and PRELIMINARY. An amendment names the report it replaces with
 * {@link Builder#predecessor}.
 */
public final class MeasurementReport {

    /** Comprehensive 3D SR Storage. */
    public static final Uid SOP_CLASS_UID = Uid.of(SOPClass.Comprehensive3DSRStorage);

    private final Uid sopInstanceUid;
    private final Uid seriesInstanceUid;
    private final Uid studyInstanceUid;
    private final List<MeasurementGroup> groups;
    private final AttributeList dataSet;

    private MeasurementReport(Builder builder, AttributeList dataSet) {
        this.sopInstanceUid = builder.sopInstanceUid;
        this.seriesInstanceUid = builder.seriesInstanceUid;
        this.studyInstanceUid = builder.source.studyInstanceUid();
        this.groups = List.copyOf(builder.groups);
        this.dataSet = dataSet;
    }

    /**
     * @param source       the series the findings were read on: patient, study and the images of the Image Library
     * @param segmentation the DICOM-SEG whose segments the groups reference
     */
    public static Builder builder(VolumeGeometry source, Segmentation segmentation) {
        return new Builder(source, segmentation);
    }

    /** As {@link #builder(VolumeGeometry, Segmentation)}, on a decoded volume's geometry. */
    public static Builder builder(ImageVolume source, Segmentation segmentation) {
        return builder(Objects.requireNonNull(source, "source").geometry(), segmentation);
    }

    public Uid sopInstanceUid() {
        return sopInstanceUid;
    }

    public Uid seriesInstanceUid() {
        return seriesInstanceUid;
    }

    public Uid studyInstanceUid() {
        return studyInstanceUid;
    }

    public List<MeasurementGroup> groups() {
        return groups;
    }

    /** This report as a reference, e.g. for the next amendment's {@link Builder#predecessor}. */
    public InstanceReference reference() {
        return new InstanceReference(studyInstanceUid, seriesInstanceUid, SOP_CLASS_UID, sopInstanceUid);
    }

    /** The Part 10 file (Explicit VR Little Endian). */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeTo(out);
        return out.toByteArray();
    }

    /** Writes the Part 10 file, creating parent directories. @return the file */
    public Path write(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                writeTo(out);
            }
        } catch (IOException e) {
            throw new DicomWebException("cannot write measurement report " + sopInstanceUid + " to " + file + ": "
                    + e.getMessage(), e);
        }
        return file;
    }

    private void writeTo(OutputStream out) {
        try {
            dataSet.write(out, TransferSyntax.ExplicitVRLittleEndian, true, true);
        } catch (IOException | DicomException e) {
            throw new DicomWebException("cannot encode measurement report " + sopInstanceUid + ": " + e.getMessage(), e);
        }
    }

    /** Collects the parts of a report; {@link #build()} checks them all and encodes. */
    public static final class Builder {
        final VolumeGeometry source;
        final Segmentation segmentation;
        Uid seriesInstanceUid;
        Uid sopInstanceUid;
        Integer seriesNumber;
        int instanceNumber = 1;
        String seriesDescription = "AI measurement report";
        Algorithm algorithm;
        Verification verification;
        InstanceReference predecessor;
        CodedConcept procedureReported;
        OffsetDateTime contentDateTime;
        final List<MeasurementGroup> groups = new ArrayList<>();

        private Builder(VolumeGeometry source, Segmentation segmentation) {
            this.source = Objects.requireNonNull(source, "source");
            this.segmentation = Objects.requireNonNull(segmentation, "segmentation");
        }

        public Builder seriesInstanceUid(Uid uid) {
            this.seriesInstanceUid = Objects.requireNonNull(uid, "seriesInstanceUid");
            return this;
        }

        public Builder sopInstanceUid(Uid uid) {
            this.sopInstanceUid = Objects.requireNonNull(uid, "sopInstanceUid");
            return this;
        }

        public Builder seriesNumber(int number) {
            this.seriesNumber = DicomAttributes.seriesNumber(number);
            return this;
        }

        /** Instance Number; a read's revision is a good choice (1 for the first sign-off). */
        public Builder instanceNumber(int number) {
            this.instanceNumber = DicomAttributes.instanceNumber(number);
            return this;
        }

        public Builder seriesDescription(String text) {
            this.seriesDescription = DicomAttributes.longString("seriesDescription", text);
            return this;
        }

        /** The AI that made the findings: device observer, algorithm of each group, contributing equipment. */
        public Builder algorithm(Algorithm identity) {
            this.algorithm = Objects.requireNonNull(identity, "algorithm");
            return this;
        }

        /** The radiologist's sign-off: person observer and Verifying Observer; the report becomes VERIFIED, FINAL. */
        public Builder signedBy(Verification signOff) {
            this.verification = Objects.requireNonNull(signOff, "signedBy");
            return this;
        }

        /** The report this one amends (Predecessor Documents Sequence). */
        public Builder predecessor(InstanceReference report) {
            this.predecessor = Objects.requireNonNull(report, "predecessor");
            return this;
        }

        /** Procedure reported (CID 100); default {@link ReportCodes#CT_UNSPECIFIED_BODY_REGION} for CT. */
        public Builder procedureReported(CodedConcept procedure) {
            this.procedureReported = Objects.requireNonNull(procedure, "procedureReported");
            return this;
        }

        /** Content, series and instance creation date and time; default the time of {@link #build()}. */
        public Builder contentDateTime(OffsetDateTime dateTime) {
            this.contentDateTime = Objects.requireNonNull(dateTime, "contentDateTime");
            return this;
        }

        public Builder group(MeasurementGroup group) {
            groups.add(Objects.requireNonNull(group, "group"));
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the rule and the value when a part is missing or does not fit
         */
        public MeasurementReport build() {
            MeasurementReportRules.check(this);
            OffsetDateTime when = contentDateTime == null ? OffsetDateTime.now() : contentDateTime;
            CodedConcept procedure = procedureReported != null ? procedureReported : ReportCodes.CT_UNSPECIFIED_BODY_REGION;
            return new MeasurementReport(this, MeasurementReportEncoder.encode(this, when, procedure));
        }
    }
}
