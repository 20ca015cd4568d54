package org.groundflow.dicomweb.testing;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.ImageVolumeReader;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.seg.RgbColour;
import org.groundflow.dicomweb.seg.SegmentAlgorithmType;
import org.groundflow.dicomweb.seg.SegmentCodes;
import org.groundflow.dicomweb.seg.SegmentDescription;
import org.groundflow.dicomweb.seg.Segmentation;
import org.groundflow.dicomweb.seg.VoxelMask;
import org.groundflow.dicomweb.sr.Algorithm;
import org.groundflow.dicomweb.sr.FindingSite;
import org.groundflow.dicomweb.sr.Measurement;
import org.groundflow.dicomweb.sr.MeasurementGroup;
import org.groundflow.dicomweb.sr.MeasurementReport;
import org.groundflow.dicomweb.sr.ReportCodes;
import org.groundflow.dicomweb.sr.Verification;
import org.groundflow.dicomweb.synthetic.Lesion;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;

/**
 * Results of a signed read of the demo study with known ground truth: one segment per demo lesion (two nodules and
 * the liver lesion of PHANTOM.md, split from {@link SyntheticStudy#labelMask(int)} by nearest lesion centre), the SEG and the
 * TID 1500 report that ties a sentence to each segment. Fixed UIDs and times, so every build gives the same bytes.
 */
public final class DemoResults {

    /** Finding site of the liver lesion: SCT 10200004. */
    private static final CodedConcept LIVER = CodedConcept.sct("10200004", "Liver");
    public static final Uid SEG_SERIES = Uid.of("2.25.1100");
    public static final Uid SEG_INSTANCE = Uid.of("2.25.1101");
    public static final Uid SR_SERIES = Uid.of("2.25.1200");
    public static final Uid SR_INSTANCE = Uid.of("2.25.1201");
    public static final Algorithm ALGORITHM = new Algorithm("groundflow-demo-unet", "1.0.0", "Groundflow", Uid.of("2.25.1102"));
    public static final OffsetDateTime SIGNED_AT = OffsetDateTime.parse("2024-06-11T10:30:00+02:00");
    public static final Verification SIGN_OFF = new Verification("Doe^Jane", "Groundflow Radiology", SIGNED_AT);

    private static ImageVolume volume;
    private static List<BitSet> masks;

    private DemoResults() {
    }

    public static synchronized ImageVolume volume() {
        if (volume == null) {
            volume = ImageVolumeReader.read(DemoStudyFiles.get());
        }
        return volume;
    }

    /** One mask per demo lesion, in {@link SyntheticStudy#DEMO_LESIONS} order. */
    public static synchronized List<BitSet> lesionMasks() {
        if (masks == null) {
            SyntheticStudy study = SyntheticStudy.demo();
            List<Lesion> lesions = study.lesions();
            List<BitSet> split = new ArrayList<>();
            lesions.forEach(l -> split.add(new BitSet()));
            int size = study.columns();
            for (int label : List.of(Lesion.NODULE, Lesion.LIVER_LESION)) {
                BitSet mask = study.labelMask(label);
                for (int v = mask.nextSetBit(0); v >= 0; v = mask.nextSetBit(v + 1)) {
                    int i = v % size;
                    int j = (v / size) % size;
                    int k = v / (size * size);
                    split.get(nearest(lesions, label, study.x(i), study.y(j), study.z(k))).set(v);
                }
            }
            masks = List.copyOf(split);
        }
        return masks;
    }

    public static List<SegmentDescription> descriptions() {
        return List.of(
                new SegmentDescription(1, "Nodule 1", SegmentCodes.MORPHOLOGICALLY_ABNORMAL_STRUCTURE, SegmentCodes.NODULE,
                        SegmentAlgorithmType.AUTOMATIC, new RgbColour(230, 159, 0)),
                new SegmentDescription(2, "Nodule 2", SegmentCodes.MORPHOLOGICALLY_ABNORMAL_STRUCTURE, SegmentCodes.NODULE,
                        SegmentAlgorithmType.SEMIAUTOMATIC, new RgbColour(213, 94, 0)),
                new SegmentDescription(3, "Liver lesion", SegmentCodes.MORPHOLOGICALLY_ABNORMAL_STRUCTURE, SegmentCodes.LIVER_LESION,
                        SegmentAlgorithmType.AUTOMATIC, new RgbColour(86, 180, 233)));
    }

    public static Segmentation.Builder segmentation() {
        ImageVolume source = volume();
        return Segmentation.builder(source)
                .seriesInstanceUid(SEG_SERIES)
                .sopInstanceUid(SEG_INSTANCE)
                .seriesNumber(9001)
                .algorithm(ALGORITHM.name(), ALGORITHM.version(), ALGORITHM.manufacturer(), ALGORITHM.deviceUid())
                .contentCreatorName("Doe^Jane")
                .contentDateTime(SIGNED_AT.toLocalDateTime())
                .segments(descriptions(), lesionMasks().stream().map(m -> VoxelMask.on(source, m)).toList());
    }

    public static Segmentation seg() {
        return segmentation().build();
    }

    /** The sentences as signed, one per segment. */
    public static List<String> sentences() {
        return List.of("A 18 mm nodule in the right middle zone (1.4 mL).",
                "A 12 mm nodule in the left upper zone, reworded by the radiologist.",
                "A 24 mm liver lesion in the right liver (7.2 mL).");
    }

    public static List<MeasurementGroup> groups() {
        List<CodedConcept> findings = List.of(SegmentCodes.NODULE, SegmentCodes.NODULE, SegmentCodes.LIVER_LESION);
        List<FindingSite> sites = List.of(new FindingSite(ReportCodes.LUNG, ReportCodes.RIGHT),
                new FindingSite(ReportCodes.LUNG, ReportCodes.LEFT), FindingSite.of(LIVER));
        List<MeasurementGroup> groups = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            groups.add(new MeasurementGroup("Finding " + n, Uid.of("2.25.13" + n), SegmentCodes.MORPHOLOGICALLY_ABNORMAL_STRUCTURE,
                    findings.get(n - 1), sites.get(n - 1), sentences().get(n - 1),
                    List.of(Measurement.longAxisMm(6.0 * n), Measurement.volumeMl(0.45 * n),
                            Measurement.meanAttenuationHu(n == 3 ? 0.4 : 35.25)), n));
        }
        return groups;
    }

    public static MeasurementReport.Builder report(Segmentation seg) {
        MeasurementReport.Builder builder = MeasurementReport.builder(volume(), seg)
                .seriesInstanceUid(SR_SERIES)
                .sopInstanceUid(SR_INSTANCE)
                .seriesNumber(9002)
                .algorithm(ALGORITHM)
                .signedBy(SIGN_OFF)
                .contentDateTime(SIGNED_AT);
        groups().forEach(builder::group);
        return builder;
    }

    private static int nearest(List<Lesion> lesions, int label, double x, double y, double z) {
        int best = -1;
        double bestDistance = Double.MAX_VALUE;
        for (int n = 0; n < lesions.size(); n++) {
            Lesion l = lesions.get(n);
            double d = (x - l.x()) * (x - l.x()) + (y - l.y()) * (y - l.y()) + (z - l.z()) * (z - l.z());
            if (l.label() == label && d < bestDistance) {
                best = n;
                bestDistance = d;
            }
        }
        return best;
    }
}
