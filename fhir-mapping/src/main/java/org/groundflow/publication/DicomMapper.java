package org.groundflow.publication;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.seg.RgbColour;
import org.groundflow.dicomweb.seg.SegmentAlgorithmType;
import org.groundflow.dicomweb.seg.SegmentCodes;
import org.groundflow.dicomweb.seg.SegmentDescription;
import org.groundflow.dicomweb.seg.Segmentation;
import org.groundflow.dicomweb.seg.VoxelMask;
import org.groundflow.dicomweb.sr.Algorithm;
import org.groundflow.dicomweb.sr.FindingSite;
import org.groundflow.dicomweb.sr.InstanceReference;
import org.groundflow.dicomweb.sr.Measurement;
import org.groundflow.dicomweb.sr.MeasurementGroup;
import org.groundflow.dicomweb.sr.MeasurementReport;
import org.groundflow.dicomweb.sr.Verification;
import org.groundflow.inference.Finding;
import org.groundflow.inference.ModelCard;
import org.groundflow.inference.ModelIdentity;
import org.groundflow.review.SignOff;
import org.groundflow.review.SignedFinding;

/**
 * Maps a signed read to what the PACS receives: a binary DICOM-SEG with one segment per kept finding, and a TID 1500
 * Comprehensive 3D SR that ties each signed sentence to its segment, with the finding's code, coded site and
 * laterality and its measurements. Pure: no I/O. Series UIDs derive from the read, instance UIDs from its
 * {@link Revision}, so mapping the same signed read again gives the same objects.
 */
public final class DicomMapper {

    /** Series number of Groundflow's SEG series, far from the scanner's numbers. */
    public static final int SEG_SERIES_NUMBER = 9001;
    /** Series number of Groundflow's SR series. */
    public static final int SR_SERIES_NUMBER = 9002;
    /** Colour of a segment whose label the model card gives no colour. */
    static final RgbColour FALLBACK_COLOUR = new RgbColour(255, 0, 0);

    private final ModelCard card;
    private final String organization;

    /**
     * @param card         the model card: the display colour of each label
     * @param organization the organisation the radiologist signs for (the SR's Verifying Organization)
     */
    public DicomMapper(ModelCard card, String organization) {
        this.card = Objects.requireNonNull(card, "card");
        if (organization == null || organization.isBlank()) {
            throw new IllegalArgumentException("organization must not be blank");
        }
        this.organization = organization;
    }

    public DicomObjects map(SignedRead read) {
        Objects.requireNonNull(read, "read");
        Segmentation segmentation = segmentation(read);
        return new DicomObjects(read.revision(), segmentation, report(read, segmentation));
    }

    private Segmentation segmentation(SignedRead read) {
        SignOff signOff = read.signOff();
        ModelIdentity model = signOff.interpretation().model();
        Segmentation.Builder seg = Segmentation.builder(read.source())
                .seriesInstanceUid(DerivedUids.of(read.readId(), "seg-series"))
                .sopInstanceUid(read.revision().segSopInstanceUid())
                .seriesNumber(SEG_SERIES_NUMBER)
                .instanceNumber(read.revision().number())
                .seriesDescription("Groundflow signed findings")
                .contentLabel("GROUNDFLOW")
                .contentDescription("Segments of the findings signed by the radiologist")
                .contentCreatorName(signOff.reviewer())
                .contentDateTime(LocalDateTime.ofInstant(signOff.signedAt(), ZoneOffset.UTC))
                .algorithm(model.name(), model.version(), model.manufacturer(), model.uid());
        for (SignedFinding kept : signOff.kept()) {
            Finding finding = kept.finding();
            seg.segment(new SegmentDescription(kept.segmentNumber(), finding.label(),
                    SegmentCodes.MORPHOLOGICALLY_ABNORMAL_STRUCTURE, finding.code(),
                    kept.edited() ? SegmentAlgorithmType.SEMIAUTOMATIC : SegmentAlgorithmType.AUTOMATIC,
                    colour(finding.label())),
                    VoxelMask.on(read.source(), read.masks().mask(finding.segmentNumber()).voxels()));
        }
        return seg.build();
    }

    private MeasurementReport report(SignedRead read, Segmentation segmentation) {
        SignOff signOff = read.signOff();
        ModelIdentity model = signOff.interpretation().model();
        OffsetDateTime signedAt = OffsetDateTime.ofInstant(signOff.signedAt(), ZoneOffset.UTC);
        Uid series = DerivedUids.of(read.readId(), "sr-series");
        Revision revision = read.revision();
        MeasurementReport.Builder report = MeasurementReport.builder(read.source(), segmentation)
                .seriesInstanceUid(series)
                .sopInstanceUid(revision.srSopInstanceUid())
                .seriesNumber(SR_SERIES_NUMBER)
                .instanceNumber(revision.number())
                .seriesDescription("Groundflow signed report")
                .algorithm(new Algorithm(model.name(), model.version(), model.manufacturer(), model.uid()))
                .signedBy(new Verification(signOff.reviewer(), organization, signedAt))
                .contentDateTime(signedAt);
        if (revision.predecessor() != null) {
            report.predecessor(new InstanceReference(read.source().studyInstanceUid(), series,
                    MeasurementReport.SOP_CLASS_UID, revision.predecessor()));
        }
        for (SignedFinding kept : signOff.kept()) {
            Finding finding = kept.finding();
            report.group(new MeasurementGroup("Finding " + finding.number() + " (" + finding.label() + ")",
                    DerivedUids.of(read.readId(), "finding-" + finding.number()),
                    SegmentCodes.MORPHOLOGICALLY_ABNORMAL_STRUCTURE, finding.code(), site(finding), kept.text(),
                    measurements(finding), kept.segmentNumber()));
        }
        return report.build();
    }

    /** The finding's coded site with its laterality as a modifier; null when the finding has no coded site. */
    static FindingSite site(Finding finding) {
        if (finding.site() == null) {
            return null;
        }
        CodedConcept laterality = finding.laterality() == null ? null : finding.laterality().code().orElse(null);
        return new FindingSite(finding.site(), laterality);
    }

    /** Diameter, volume and mean attenuation of the segment, and the model's confidence when it gave one. */
    private static List<Measurement> measurements(Finding finding) {
        List<Measurement> rows = new java.util.ArrayList<>();
        if (finding.measurements() != null) {
            rows.add(Measurement.longAxisMm(finding.measurements().longestAxialDiameterMm()));
            rows.add(Measurement.volumeMl(finding.measurements().volumeMl()));
            rows.add(Measurement.meanAttenuationHu(finding.measurements().meanIntensity()));
        }
        if (finding.confidence() != null) {
            rows.add(Measurement.modelConfidence(finding.confidence()));
        }
        return rows;
    }

    private RgbColour colour(String label) {
        return card.labels().stream().filter(l -> l.name().equals(label)).findFirst()
                .filter(l -> l.color() != null && l.color().size() == 3)
                .map(l -> new RgbColour(l.color().get(0), l.color().get(1), l.color().get(2)))
                .orElse(FALLBACK_COLOUR);
    }
}
