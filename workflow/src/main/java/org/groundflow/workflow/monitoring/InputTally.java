package org.groundflow.workflow.monitoring;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.groundflow.workflow.monitoring.MonitoringReport.InputBucket;
import org.groundflow.workflow.monitoring.MonitoringReport.InputReport;
import org.groundflow.workflow.monitoring.MonitoringReport.Share;
import org.groundflow.workflow.monitoring.MonitoringReport.Spread;

/** The series retrieved for reading in a report's range, counted as the rows come; one report's, never shared. */
final class InputTally {

    static final String UNKNOWN = "unknown";

    private final List<List<Double>> spacing = new ArrayList<>();
    private final List<List<Double>> thickness = new ArrayList<>();
    private final List<Map<String, Integer>> scanners = new ArrayList<>();
    private final List<Map<String, Integer>> bodyParts = new ArrayList<>();
    private final int[] series;

    InputTally(int buckets) {
        series = new int[buckets];
        for (int b = 0; b < buckets; b++) {
            spacing.add(new ArrayList<>());
            thickness.add(new ArrayList<>());
            scanners.add(new TreeMap<>());
            bodyParts.add(new TreeMap<>());
        }
    }

    /** One series; null where its header states nothing. */
    void add(int bucket, String manufacturer, String scannerModel, String bodyPart, Double pixelSpacing,
             Double sliceThickness) {
        series[bucket]++;
        scanners.get(bucket).merge(scanner(manufacturer, scannerModel), 1, Integer::sum);
        bodyParts.get(bucket).merge(bodyPart == null ? UNKNOWN : bodyPart, 1, Integer::sum);
        if (pixelSpacing != null) {
            spacing.get(bucket).add(pixelSpacing);
        }
        if (sliceThickness != null) {
            thickness.get(bucket).add(sliceThickness);
        }
    }

    /** "Manufacturer Model", either part left out when the header lacks it; {@value #UNKNOWN} when both are absent. */
    static String scanner(String manufacturer, String scannerModel) {
        String name = ((manufacturer == null ? "" : manufacturer) + " " + (scannerModel == null ? "" : scannerModel)).strip();
        return name.isEmpty() ? UNKNOWN : name;
    }

    InputReport report() {
        List<InputBucket> timeline = new ArrayList<>(series.length);
        for (int b = 0; b < series.length; b++) {
            timeline.add(new InputBucket(series[b], ModelTally.median(spacing.get(b)), ModelTally.median(thickness.get(b)),
                    scanners.get(b), bodyParts.get(b)));
        }
        int all = 0;
        for (int count : series) {
            all += count;
        }
        return new InputReport(all, shares(scanners), shares(bodyParts), spread(spacing), spread(thickness), timeline);
    }

    private static List<Share> shares(List<Map<String, Integer>> perBucket) {
        Map<String, Integer> total = new LinkedHashMap<>();
        perBucket.forEach(bucket -> bucket.forEach((name, count) -> total.merge(name, count, Integer::sum)));
        return total.entrySet().stream().map(e -> new Share(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingInt(Share::series).reversed().thenComparing(Share::name)).toList();
    }

    private static Spread spread(List<List<Double>> perBucket) {
        List<Double> values = perBucket.stream().flatMap(List::stream).toList();
        return new Spread(values.size(), values.stream().min(Double::compare).orElse(null), ModelTally.median(values),
                values.stream().max(Double::compare).orElse(null));
    }
}
