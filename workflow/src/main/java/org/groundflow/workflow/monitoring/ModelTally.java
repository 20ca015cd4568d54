package org.groundflow.workflow.monitoring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.groundflow.workflow.monitoring.MonitoringReport.Decisions;
import org.groundflow.workflow.monitoring.MonitoringReport.LabelReport;
import org.groundflow.workflow.monitoring.MonitoringReport.ModelBucket;
import org.groundflow.workflow.monitoring.MonitoringReport.ModelReport;

/** The sign-offs of one model version in a report's range, counted as the rows come; one report's, never shared. */
final class ModelTally {

    private static final List<String> DECISIONS = List.of(SignOffOutcomes.ACCEPT, SignOffOutcomes.EDIT,
            SignOffOutcomes.REJECT);

    private final String name;
    private final String version;
    private final int[] studies;
    private final int[] findings;
    private final int[][] decisions;
    private final List<List<Double>> signSeconds;
    private final Map<String, int[]> labels = new TreeMap<>();

    ModelTally(String name, String version, int buckets) {
        this.name = name;
        this.version = version;
        this.studies = new int[buckets];
        this.findings = new int[buckets];
        this.decisions = new int[buckets][DECISIONS.size()];
        this.signSeconds = new ArrayList<>(buckets);
        for (int b = 0; b < buckets; b++) {
            signSeconds.add(new ArrayList<>());
        }
    }

    void signOff(int bucket, long signMillis, int draftFindings) {
        studies[bucket]++;
        findings[bucket] += draftFindings;
        signSeconds.get(bucket).add(signMillis / 1000.0);
    }

    void finding(int bucket, String label, String decision) {
        int index = DECISIONS.indexOf(decision);
        if (index < 0) {
            throw new IllegalStateException("GF_AI_FINDING holds decision '" + decision + "', expected one of " + DECISIONS);
        }
        decisions[bucket][index]++;
        labels.computeIfAbsent(label, l -> new int[DECISIONS.size()])[index]++;
    }

    ModelReport report() {
        int allStudies = sum(studies);
        List<Double> allSeconds = signSeconds.stream().flatMap(List::stream).toList();
        int[] all = new int[DECISIONS.size()];
        List<ModelBucket> timeline = new ArrayList<>(studies.length);
        for (int b = 0; b < studies.length; b++) {
            Decisions inBucket = decisions(decisions[b]);
            for (int d = 0; d < all.length; d++) {
                all[d] += decisions[b][d];
            }
            timeline.add(new ModelBucket(studies[b], inBucket.acceptRate(), inBucket.editRate(), inBucket.rejectRate(),
                    median(signSeconds.get(b)), studies[b] == 0 ? null : (double) findings[b] / studies[b]));
        }
        List<LabelReport> labelReports = labels.entrySet().stream().map(e -> new LabelReport(e.getKey(),
                decisions(e.getValue()), perStudy(sum(e.getValue()), allStudies))).toList();
        return new ModelReport(name, version, allStudies, perStudy(sum(findings), allStudies), median(allSeconds),
                allSeconds.isEmpty() ? null : allSeconds.stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
                decisions(all), labelReports, timeline);
    }

    private static Decisions decisions(int[] counts) {
        return Decisions.of(counts[0], counts[1], counts[2]);
    }

    private static double perStudy(int count, int studies) {
        return studies == 0 ? 0 : (double) count / studies;
    }

    private static int sum(int[] values) {
        int sum = 0;
        for (int value : values) {
            sum += value;
        }
        return sum;
    }

    /** The median of {@code values}; null when there are none. */
    static Double median(Collection<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
