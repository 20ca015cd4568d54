package org.groundflow.workflow.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The AI monitoring of a time range ({@code GET /api/monitoring}): per model version and label what radiologists did
 * with the model's findings, how long they took to sign, how many findings a study had, and what the model was given.
 * Every timeline has one entry per bucket of {@link #bucketStarts()}; a rate or median without data is null.
 *
 * @param models sign-offs in the range, by model name and version
 * @param inputs series retrieved for reading in the range
 */
public record MonitoringReport(Instant from, Instant to, Duration bucket, List<Instant> bucketStarts,
                               List<ModelReport> models, InputReport inputs) {

    /**
     * What was decided on a number of draft findings, and each decision's share of them.
     */
    public record Decisions(int findings, int accepted, int edited, int rejected, Double acceptRate, Double editRate,
                            Double rejectRate) {

        static Decisions of(int accepted, int edited, int rejected) {
            int findings = accepted + edited + rejected;
            return new Decisions(findings, accepted, edited, rejected, share(accepted, findings),
                    share(edited, findings), share(rejected, findings));
        }
    }

    /**
     * @param findingsPerStudy this label's draft findings per study the model version drafted
     */
    public record LabelReport(String label, Decisions decisions, double findingsPerStudy) {
    }

    /**
     * One model version's sign-offs.
     *
     * @param studies          reads signed (first sign-offs)
     * @param findingsPerStudy draft findings per study, all labels
     * @param medianTimeToSign seconds from the review task's creation to its sign-off; null without sign-offs
     */
    public record ModelReport(String modelName, String modelVersion, int studies, double findingsPerStudy,
                              Double medianTimeToSign, Double meanTimeToSign, Decisions decisions,
                              List<LabelReport> labels, List<ModelBucket> timeline) {
    }

    /** One bucket of a model version's timeline; rates over all its labels. */
    public record ModelBucket(int studies, Double acceptRate, Double editRate, Double rejectRate,
                              Double medianTimeToSign, Double findingsPerStudy) {
    }

    /**
     * The series the model was given.
     *
     * @param scanners  series per "manufacturer model" ("unknown" where the header names neither), most first
     * @param bodyParts series per Body Part Examined ("unknown" where the header names none), most first
     */
    public record InputReport(int series, List<Share> scanners, List<Share> bodyParts, Spread pixelSpacing,
                              Spread sliceThickness, List<InputBucket> timeline) {
    }

    public record Share(String name, int series) {
    }

    /** Minimum, median and maximum (mm) of the series whose header states the value. */
    public record Spread(int series, Double min, Double median, Double max) {
    }

    /** One bucket of the input timeline: series, medians (mm) and series per scanner and body part. */
    public record InputBucket(int series, Double medianPixelSpacing, Double medianSliceThickness,
                              Map<String, Integer> scanners, Map<String, Integer> bodyParts) {
    }

    static Double share(int part, int whole) {
        return whole == 0 ? null : (double) part / whole;
    }
}
