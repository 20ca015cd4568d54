package org.groundflow.workflow.read;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.client.SeriesRecord;
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
import org.groundflow.dicomweb.sr.ReportCodes;
import org.groundflow.dicomweb.sr.Verification;
import org.groundflow.inference.Finding;
import org.groundflow.inference.Interpreter;
import org.groundflow.inference.MaskCodec;
import org.groundflow.inference.ModelCard;
import org.groundflow.inference.ModelIdentity;
import org.groundflow.inference.SegmentMasks;
import org.groundflow.review.SignOff;
import org.groundflow.review.SignedFinding;
import org.groundflow.workflow.config.GroundflowProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Publishes a signed read to the PACS: a binary DICOM-SEG with one segment per kept finding, and a TID 1500
 * Comprehensive 3D SR that ties each signed sentence to its segment, both stored with STOW-RS and found again with
 * QIDO-RS. Their SOP Instance UIDs derive from the read and its revision: a retry stores the same objects again; a
 * new sign-off of the same read (an amendment) is the next revision, with new instances whose SR names its
 * predecessor. The revisions are kept in the read's folder ({@value #REVISIONS}).
 */
@Service
public class SegPublication {

    /** Series number of Groundflow's SEG series, far from the scanner's numbers. */
    static final int SEG_SERIES_NUMBER = 9001;
    /** Series number of Groundflow's SR series. */
    static final int SR_SERIES_NUMBER = 9002;
    /** One line per revision: number, sign-off time, SR SOP Instance UID. */
    static final String REVISIONS = "dicom-revisions.txt";

    private static final Logger log = LoggerFactory.getLogger(SegPublication.class);

    private final DicomWebClient pacs;
    private final SourceVolumes volumes;
    private final ReadStore store;
    private final ModelCard card;
    private final String organization;

    public SegPublication(DicomWebClient pacs, SourceVolumes volumes, ReadStore store, Interpreter interpreter,
                          GroundflowProperties properties) {
        this.pacs = pacs;
        this.volumes = volumes;
        this.store = store;
        this.card = interpreter.card();
        this.organization = properties.organization();
    }

    /** @return the SOP Instance UID of the SEG of the read's current revision */
    public Uid publish(String readId, Uid study) {
        SignOff signOff = store.signOff(readId)
                .orElseThrow(() -> new ReadFailure("study " + study + ": read " + readId + " has no sign-off to publish"));
        if (signOff.kept().isEmpty()) {
            throw new ReadFailure("study " + study + ": read " + readId + " kept no finding, so it has no segmentation to publish");
        }
        ImageVolume volume = volumes.load(readId, study);
        Revision revision = revision(readId, signOff.signedAt());
        Segmentation segmentation = segmentation(readId, study, signOff, volume, revision);
        MeasurementReport report = report(readId, signOff, volume, segmentation, revision);
        Path segFile = segmentation.write(store.segFile(readId));
        Path srFile = store.write(readId, "sr.dcm", report.toBytes());
        pacs.store(List.of(segFile, srFile)).requireAllStored();
        Set<Uid> series = pacs.searchSeries(study).stream().map(SeriesRecord::seriesInstanceUid).collect(Collectors.toSet());
        if (!series.contains(segmentation.seriesInstanceUid()) || !series.contains(report.seriesInstanceUid())) {
            throw new ReadFailure("study " + study + ": the PACS accepted SEG " + segmentation.sopInstanceUid() + " and SR "
                    + report.sopInstanceUid() + " but QIDO-RS does not list both their series");
        }
        log.info("read {} revision {}: SEG {} with {} segment(s) and SR {} stored in the PACS", readId, revision.number(),
                segmentation.sopInstanceUid(), signOff.kept().size(), report.sopInstanceUid());
        return segmentation.sopInstanceUid();
    }

    private Segmentation segmentation(String readId, Uid study, SignOff signOff, ImageVolume volume, Revision revision) {
        SegmentMasks masks = masks(readId, study);
        ModelIdentity model = signOff.interpretation().model();
        Segmentation.Builder seg = Segmentation.builder(volume)
                .seriesInstanceUid(DerivedUids.of(readId, "seg-series"))
                .sopInstanceUid(DerivedUids.of(readId, "seg", revision.number()))
                .seriesNumber(SEG_SERIES_NUMBER)
                .instanceNumber(revision.number())
                .seriesDescription("Groundflow signed findings")
                .contentLabel("GROUNDFLOW")
                .contentDescription("Segments of the findings signed by the radiologist")
                .contentCreatorName(signOff.reviewer())
                .contentDateTime(LocalDateTime.ofInstant(signOff.signedAt(), ZoneOffset.UTC))
                .algorithm(model.name(), model.version(), model.manufacturer(), model.uid());
        for (SignedFinding kept : signOff.kept()) {
            BitSet mask = masks.mask(kept.finding().segmentNumber()).voxels();
            seg.segment(new SegmentDescription(kept.segmentNumber(), kept.finding().label(),
                    SegmentCodes.MORPHOLOGICALLY_ABNORMAL_STRUCTURE, kept.finding().code(),
                    kept.edited() ? SegmentAlgorithmType.SEMIAUTOMATIC : SegmentAlgorithmType.AUTOMATIC,
                    colour(kept.finding().label())), new VoxelMask(masks.columns(), masks.rows(), masks.slices(),
                    volume.frameOfReferenceUid(), mask));
        }
        return seg.build();
    }

    private MeasurementReport report(String readId, SignOff signOff, ImageVolume volume, Segmentation segmentation,
                                     Revision revision) {
        ModelIdentity model = signOff.interpretation().model();
        OffsetDateTime signedAt = OffsetDateTime.ofInstant(signOff.signedAt(), ZoneOffset.UTC);
        Uid series = DerivedUids.of(readId, "sr-series");
        MeasurementReport.Builder report = MeasurementReport.builder(volume, segmentation)
                .seriesInstanceUid(series)
                .sopInstanceUid(revision.report())
                .seriesNumber(SR_SERIES_NUMBER)
                .instanceNumber(revision.number())
                .seriesDescription("Groundflow signed report")
                .algorithm(new Algorithm(model.name(), model.version(), model.manufacturer(), model.uid()))
                .signedBy(new Verification(signOff.reviewer(), organization, signedAt))
                .contentDateTime(signedAt);
        if (revision.predecessor() != null) {
            report.predecessor(new InstanceReference(volume.studyInstanceUid(), series, MeasurementReport.SOP_CLASS_UID,
                    revision.predecessor()));
        }
        for (SignedFinding kept : signOff.kept()) {
            Finding finding = kept.finding();
            report.group(new MeasurementGroup("Finding " + finding.number() + " (" + finding.label() + ")",
                    DerivedUids.of(readId, "finding-" + finding.number()), SegmentCodes.MORPHOLOGICALLY_ABNORMAL_STRUCTURE,
                    finding.code(), site(finding), kept.text(), measurements(finding), kept.segmentNumber()));
        }
        return report.build();
    }

    /** Lung for a nodule, else chest; right or left from the finding's location words. */
    private static FindingSite site(Finding finding) {
        String side = finding.location() == null ? "" : finding.location().strip().split(" ")[0];
        CodedConcept laterality = "right".equals(side) ? ReportCodes.RIGHT : "left".equals(side) ? ReportCodes.LEFT : null;
        boolean lung = SegmentCodes.NODULE.value().equals(finding.code().value());
        return new FindingSite(lung ? ReportCodes.LUNG : ReportCodes.CHEST, laterality);
    }

    private static List<Measurement> measurements(Finding finding) {
        if (finding.measurements() == null) {
            return List.of();
        }
        return List.of(Measurement.longAxisMm(finding.measurements().longestAxialDiameterMm()),
                Measurement.volumeMl(finding.measurements().volumeMl()),
                Measurement.meanAttenuationHu(finding.measurements().meanIntensity()));
    }

    /**
     * The revision of this sign-off: the one already recorded for it (a retry), or the next one, recorded before
     * anything is stored so that a retry after a partial store reuses its UIDs.
     */
    private Revision revision(String readId, Instant signedAt) {
        List<Revision> revisions = revisions(readId);
        for (Revision revision : revisions) {
            if (revision.signedAt().equals(signedAt)) {
                return revision;
            }
        }
        int number = revisions.size() + 1;
        Revision next = new Revision(number, signedAt, DerivedUids.of(readId, "sr", number),
                revisions.isEmpty() ? null : revisions.get(revisions.size() - 1).report());
        StringBuilder lines = new StringBuilder();
        for (Revision revision : revisions) {
            lines.append(revision.line()).append('\n');
        }
        lines.append(next.line()).append('\n');
        store.write(readId, REVISIONS, lines.toString().getBytes(StandardCharsets.UTF_8));
        return next;
    }

    private List<Revision> revisions(String readId) {
        Path file = store.readDir(readId).resolve(REVISIONS);
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<Revision> revisions = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    String[] parts = line.strip().split(" ");
                    revisions.add(new Revision(Integer.parseInt(parts[0]), Instant.parse(parts[1]), Uid.of(parts[2]),
                            revisions.isEmpty() ? null : revisions.get(revisions.size() - 1).report()));
                }
            }
            return revisions;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the DICOM revisions of read " + readId, e);
        }
    }

    private SegmentMasks masks(String readId, Uid study) {
        try {
            return MaskCodec.read(store.masksFile(readId));
        } catch (IOException e) {
            throw new UncheckedIOException("study " + study + ": the masks of read " + readId + " cannot be read", e);
        }
    }

    private RgbColour colour(String label) {
        return card.labels().stream().filter(l -> l.name().equals(label)).findFirst()
                .filter(l -> l.color() != null && l.color().size() == 3)
                .map(l -> new RgbColour(l.color().get(0), l.color().get(1), l.color().get(2)))
                .orElse(new RgbColour(255, 0, 0));
    }

    /**
     * One sign-off of a read as published.
     *
     * @param report      its SR's SOP Instance UID
     * @param predecessor the SR of the revision before, or null for the first
     */
    record Revision(int number, Instant signedAt, Uid report, Uid predecessor) {

        String line() {
            return number + " " + signedAt + " " + report.value();
        }
    }
}
