package org.groundflow.inference;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a label map into grounded findings: per label, each 26-connected component of at least the minimum volume
 * becomes one finding with its measurements, coded site (the card's, for the label) and laterality (from the
 * centroid), location words and sentence written from those, and its mask. Findings are numbered 1..n by label value,
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
        for (ModelCard.Label label : card.labels()) {
            for (int[] voxels : ConnectedComponents.of(map.labels(), map.columns(), map.rows(), map.slices(), label.value())) {
                if (Morphometry.volumeMl(volume, voxels.length) >= minimumVolumeMl) {
                    candidates.add(new Candidate(label, voxels, Morphometry.measure(volume, voxels)));
                }
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
        card.labels().stream().sorted(Comparator.comparingInt(ModelCard.Label::value))
                .forEach(l -> counts.put(l.name(), 0));
        for (Candidate c : candidates) {
            int number = findings.size() + 1;
            double[] centroid = Morphometry.centroid(volume, c.voxels);
            Laterality laterality = Laterality.of(centroid);
            String location = FindingWording.location(laterality, FindingWording.zone(centroid[2], zMin, zMax));
            String phrase = FindingWording.phrase(c.label.name(), c.measurements.longestAxialDiameterMm());
            String text = FindingWording.sentence(phrase, location, c.measurements.volumeMl());
            findings.add(new Finding(number, c.label.name(), c.label.concept(), text, phrase, number,
                    meanConfidence(map, c.voxels), c.measurements, location, c.label.siteConcept(), laterality));
            BitSet bits = new BitSet(map.voxelCount());
            for (int v : c.voxels) {
                bits.set(v);
            }
            masks.add(new SegmentMask(number, bits));
            counts.merge(c.label.name(), 1, Integer::sum);
        }
        Interpretation interpretation = new Interpretation(volume.studyInstanceUid(), volume.seriesInstanceUid(),
                card.identity(), findings, FindingWording.impression(counts));
        log.info("Series {}: {} findings from model {}", volume.seriesInstanceUid(), findings.size(), card.title());
        return new InterpretationResult(interpretation,
                new SegmentMasks(volume.columns(), volume.rows(), volume.slices(), masks));
    }

    private static double meanConfidence(LabelMap map, int[] voxels) {
        double sum = 0;
        for (int v : voxels) {
            sum += map.confidence()[v];
        }
        return Math.min(1.0, Math.max(0.0, sum / voxels.length));
    }

    private record Candidate(ModelCard.Label label, int[] voxels, Measurements measurements) {
    }
}
