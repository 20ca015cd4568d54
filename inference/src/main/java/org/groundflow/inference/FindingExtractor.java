package org.groundflow.inference;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a label map into grounded findings: per finding label, each 26-connected component of at least the minimum
 * volume and confidence (the label's card {@code detection}, else this extractor's minimum volume; the segments below
 * the confidence are counted in the set-aside list) becomes one finding with its measurements, coded site,
 * laterality, confidence, location words and sentence written from those, and its mask. The site is the organ
 * (anatomy label) most present around the segment when the map shows organs, else the card's site for the label; the
 * side is the centroid's relative to the patient's midline
 * ({@link Anatomy}); the confidence is the mean probability of the label over the segment. A finding implausible for
 * its label (card {@code plausibility}) is reworded (larger than {@code maxDiameterMm}, with a {@code larger} word) or
 * dropped (larger without one, outside {@code withinAnatomy}, or more elongated than {@code maxElongation}), and the
 * reason kept in the interpretation's {@link Interpretation#setAside()}. Findings are numbered 1..n by label value,
 * then by volume (largest first); the segment number is the finding number.
 */
public final class FindingExtractor {

    /** Components smaller than this are dropped as noise (about 9 voxels of 1.5 x 1.5 x 2.5 mm). */
    public static final double DEFAULT_MINIMUM_VOLUME_ML = 0.05;

    private static final Logger log = LoggerFactory.getLogger(FindingExtractor.class);

    private final ModelCard card;
    private final double minimumVolumeMl;

    public FindingExtractor(ModelCard card) {
        this(card, DEFAULT_MINIMUM_VOLUME_ML);
    }

    private FindingExtractor(ModelCard card, double minimumVolumeMl) {
        this.card = Objects.requireNonNull(card, "card");
        if (!(minimumVolumeMl >= 0)) {
            throw new IllegalArgumentException("minimumVolumeMl must be >= 0, got " + minimumVolumeMl);
        }
        this.minimumVolumeMl = minimumVolumeMl;
    }

    public FindingExtractor withMinimumVolumeMl(double minimumVolumeMl) {
        return new FindingExtractor(card, minimumVolumeMl);
    }

    public InterpretationResult extract(ImageVolume volume, LabelMap map) {
        Objects.requireNonNull(volume, "volume");
        Objects.requireNonNull(map, "map");
        if (map.columns() != volume.columns() || map.rows() != volume.rows() || map.slices() != volume.slices()) {
            throw new IllegalArgumentException("label map " + map.columns() + "x" + map.rows() + "x" + map.slices()
                    + " does not match volume " + volume.columns() + "x" + volume.rows() + "x" + volume.slices());
        }
        List<Candidate> candidates = new ArrayList<>();
        List<SetAside> setAside = new ArrayList<>();
        List<ModelCard.Label> findingLabels = card.findingLabels();
        List<List<int[]>> components = ConnectedComponents.of(map.labels(), map.columns(), map.rows(), map.slices(),
                findingLabels.stream().mapToInt(ModelCard.Label::value).toArray());
        for (int k = 0; k < findingLabels.size(); k++) {
            ModelCard.Label label = findingLabels.get(k);
            ModelCard.Detection detection = label.detection();
            double leastVolume = detection != null && detection.minimumVolumeMl() != null
                    ? detection.minimumVolumeMl() : minimumVolumeMl;
            Double leastConfidence = detection == null ? null : detection.minimumConfidence();
            int unsure = 0;
            for (int[] voxels : components.get(k)) {
                if (Morphometry.volumeMl(volume, voxels.length) < leastVolume) {
                    continue;
                }
                Double confidence = meanConfidence(map, voxels);
                if (leastConfidence != null && confidence != null && confidence < leastConfidence) {
                    unsure++;
                    continue;
                }
                candidates.add(new Candidate(label, voxels, Morphometry.measure(volume, voxels), confidence));
            }
            if (unsure > 0) {
                setAside.add(new SetAside(label.name(), unsure + (unsure == 1 ? " segment" : " segments")
                        + " below the model's confidence of " + leastConfidence + " for a " + label.name()
                        + "; not reported", null));
            }
        }
        candidates.sort(Comparator.comparingInt((Candidate c) -> c.label.value())
                .thenComparing(Comparator.comparingInt((Candidate c) -> c.voxels.length).reversed()));

        double zFirst = volume.patientPosition(0, 0, 0)[2];
        double zLast = volume.patientPosition(0, 0, volume.slices() - 1)[2];
        double zMin = Math.min(zFirst, zLast);
        double zMax = Math.max(zFirst, zLast);
        List<Finding> findings = new ArrayList<>();
        List<SegmentMask> masks = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        card.findingLabels().stream().sorted(Comparator.comparingInt(ModelCard.Label::value))
                .forEach(l -> counts.put(l.name(), 0));
        Anatomy anatomy = Anatomy.of(volume, map, card);
        for (Candidate c : candidates) {
            Optional<ModelCard.Label> organ = anatomy.site(c.voxels);
            Judgement judgement = judge(volume, c, organ, anatomy.present(), greatestDiameterMm(volume, c));
            if (judgement.note() != null) {
                setAside.add(judgement.note());
            }
            if (judgement.name() == null) {
                continue;
            }
            int number = findings.size() + 1;
            double[] centroid = Morphometry.centroid(volume, c.voxels);
            Laterality laterality = Laterality.of(centroid, anatomy.midlineX());
            String location = FindingWording.location(laterality, FindingWording.zone(centroid[2], zMin, zMax));
            String phrase = FindingWording.phrase(judgement.name(), c.measurements.longestAxialDiameterMm());
            String text = FindingWording.sentence(phrase, location, c.measurements.volumeMl());
            CodedConcept site = organ.map(ModelCard.Label::concept).orElse(c.label.siteConcept());
            findings.add(new Finding(number, judgement.name(), judgement.code(), text, phrase, number,
                    c.confidence, c.measurements, location, site, laterality));
            BitSet bits = new BitSet(map.voxelCount());
            for (int v : c.voxels) {
                bits.set(v);
            }
            masks.add(new SegmentMask(number, bits));
            counts.merge(judgement.name(), 1, Integer::sum);
        }
        Interpretation interpretation = new Interpretation(volume.studyInstanceUid(), volume.seriesInstanceUid(),
                card.identity(), findings, FindingWording.impression(counts), setAside);
        log.info("Series {}: {} findings from model {}, {} set aside or reworded", volume.seriesInstanceUid(),
                findings.size(), card.title(), setAside.size());
        return new InterpretationResult(interpretation,
                new SegmentMasks(volume.columns(), volume.rows(), volume.slices(), masks));
    }

    /** Mean probability over the segment; null when the model gave none (NaN, as a model server may). */
    private static Double meanConfidence(LabelMap map, int[] voxels) {
        double sum = 0;
        for (int v : voxels) {
            sum += map.confidence()[v];
        }
        double mean = sum / voxels.length;
        return Double.isNaN(mean) ? null : Math.min(1.0, Math.max(0.0, mean));
    }

    /**
     * The finding's name and code as reported, or a null name when it is dropped; with the note that says why, or
     * none when it fits its label.
     */
    private static Judgement judge(ImageVolume volume, Candidate c, Optional<ModelCard.Label> organ,
                                   boolean organsShown, double diameterMm) {
        ModelCard.Label label = c.label;
        ModelCard.Plausibility rule = label.plausibility();
        if (rule == null) {
            return new Judgement(label.name(), label.concept(), null);
        }
        String size = Math.round(diameterMm) + " mm " + label.name();
        if (rule.withinAnatomy() != null && organsShown
                && organ.map(o -> !o.name().equals(rule.withinAnatomy())).orElse(true)) {
            String where = organ.map(o -> "lies in the " + o.name()).orElse("lies in no organ the model outlines");
            return new Judgement(null, null, new SetAside(label.name(), "a " + size + " " + where + ", not in the "
                    + rule.withinAnatomy() + "; dropped", null));
        }
        if (rule.maxElongation() != null) {
            double elongation = Morphometry.elongation(volume, c.voxels);
            if (elongation > rule.maxElongation()) {
                return new Judgement(null, null, new SetAside(label.name(), String.format(Locale.ROOT,
                        "a %s is %.1f times as long as it is wide, more than a %s's %.1f; dropped", size, elongation,
                        label.name(), rule.maxElongation()), null));
            }
        }
        if (rule.maxDiameterMm() != null && diameterMm > rule.maxDiameterMm()) {
            String over = "a " + size + " is larger than a " + label.name() + "'s " + Math.round(rule.maxDiameterMm())
                    + " mm";
            if (rule.larger() != null) {
                return new Judgement(rule.larger().name(), rule.larger().code().concept(), new SetAside(label.name(),
                        over + "; reported as " + rule.larger().name(), rule.larger().name()));
            }
            return new Judgement(null, null, new SetAside(label.name(), over + "; dropped", null));
        }
        return new Judgement(label.name(), label.concept(), null);
    }

    /** Greatest extent of the segment: its longest axial diameter or its height along the slices, if more. */
    private static double greatestDiameterMm(ImageVolume volume, Candidate c) {
        int perSlice = volume.voxelsPerSlice();
        int first = c.voxels[0] / perSlice;
        int last = c.voxels[c.voxels.length - 1] / perSlice;
        return Math.max(c.measurements.longestAxialDiameterMm(), (last - first) * volume.sliceSpacing());
    }

    private record Judgement(String name, CodedConcept code, SetAside note) {
    }

    private record Candidate(ModelCard.Label label, int[] voxels, Measurements measurements, Double confidence) {
    }
}
