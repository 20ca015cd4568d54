package org.groundflow.dicomweb.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;

import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.ImageVolumeReader;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.testing.OrthancServer;

/**
 * {@code deploy/bench.sh retrieval}, the Java side. Two modes, each meant for its own JVM:
 * <ul>
 * <li>{@code retrieve WORK [slices] [size] [repetitions]}: starts a private Orthanc, stores a synthetic CT series
 * (default 300 slices of 512 x 512), then alternately fetches the WADO-RS series URL with curl into one file and
 * with {@link DicomWebClient#retrieveSeries} into one file per instance, the same number of times each after a
 * warm-up; reports wall and CPU time medians, the ratio of throughputs, what each retrieval allocated and the heap
 * used; stops Orthanc. Run it with {@code -Xms256m -Xmx256m} (a fixed heap: resizing it costs time that is not the
 * client's). Writes {@code WORK/retrieval.properties} and leaves the last retrieved series in {@code WORK/retrieved}.</li>
 * <li>{@code decode WORK [repetitions]}: decodes {@code WORK/retrieved} into an {@link ImageVolume} and reports the
 * median time per slice (needs a heap that holds the float volume: 300 x 512 x 512 x 4 bytes = 315 MB).</li>
 * </ul>
 */
public final class RetrievalBenchmark {

    private static final String ACCEPT = "multipart/related; type=\"application/dicom\"";
    private static final int WARM_UP = 5;

    private RetrievalBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: retrieve WORK [slices] [size] [repetitions] | decode WORK [repetitions]");
        }
        Path work = Path.of(args[1]);
        switch (args[0]) {
            case "retrieve" -> retrieve(work, intArg(args, 2, 300), intArg(args, 3, 512), intArg(args, 4, 7));
            case "decode" -> decode(work, intArg(args, 2, 3));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void retrieve(Path work, int slices, int size, int repetitions) throws Exception {
        Files.createDirectories(work);
        SyntheticStudy study = SyntheticStudy.builder().variant("retrieval-benchmark").slices(slices).size(size)
                .withoutLesions().build();
        List<Path> source = sourceSeries(work.resolve("source-" + slices + "x" + size), study);
        long sourceBytes = totalBytes(source);
        try (OrthancServer orthanc = new OrthancServer().start();
             DicomWebClient client = new DicomWebClient(orthanc.endpoint())) {
            for (int from = 0; from < source.size(); from += 50) {
                client.store(source.subList(from, Math.min(source.size(), from + 50))).requireAllStored();
            }
            String url = orthanc.dicomWebUrl() + "/studies/" + study.studyInstanceUid() + "/series/"
                    + study.seriesInstanceUid();
            Path curlFile = work.resolve("curl-response.bin");
            Path retrieved = work.resolve("retrieved");
            // warm-up of both sides to a steady state: the JIT (C2 compiles in the background for a few rounds),
            // Orthanc's caches, the page cache
            for (int w = 0; w < WARM_UP; w++) {
                curl(url, curlFile);
                groundflow(client, study, retrieved);
            }
            double[] curlSeconds = new double[repetitions];
            double[] groundflowSeconds = new double[repetitions];
            double[] curlCpu = new double[repetitions];
            double[] groundflowCpu = new double[repetitions];
            long[] occupancyPeak = new long[repetitions];
            long[] allocated = new long[repetitions];
            long[] poolPeakSum = new long[repetitions];
            long responseBytes = Files.size(curlFile);
            try (HeapPeak heap = new HeapPeak()) {
                for (int r = 0; r < repetitions; r++) {
                    Timing curl = curl(url, curlFile);
                    heap.reset(); // no System.gc() here: it makes G1 give memory back, and re-committing it costs time

                    Timing groundflow = groundflow(client, study, retrieved);
                    curlSeconds[r] = curl.seconds();
                    curlCpu[r] = curl.cpuSeconds();
                    groundflowSeconds[r] = groundflow.seconds();
                    groundflowCpu[r] = groundflow.cpuSeconds();
                    allocated[r] = lastAllocatedBytes;
                    occupancyPeak[r] = heap.occupancyPeakBytes();
                    poolPeakSum[r] = heap.poolPeakSumBytes();
                    System.out.printf(Locale.ROOT, "repetition %d: curl %.3f s (cpu %.3f s), groundflow %.3f s (cpu %.3f s),"
                                    + " allocated %.1f MB, heap peak %.1f MB (pools %.1f MB)%n", r + 1, curlSeconds[r],
                            curlCpu[r], groundflowSeconds[r], groundflowCpu[r], mb(allocated[r]), mb(occupancyPeak[r]),
                            mb(poolPeakSum[r]));
                }
            }
            List<Path> files = listDicom(retrieved);
            if (files.size() != slices || totalBytes(files) < sourceBytes * 9 / 10) {
                throw new IllegalStateException("retrieved " + files.size() + " files of " + totalBytes(files)
                        + " bytes; expected " + slices + " files of about " + sourceBytes + " bytes");
            }
            double curlMedian = median(curlSeconds);
            double groundflowMedian = median(groundflowSeconds);
            double ratio = curlMedian / groundflowMedian;
            long heapPeak = Arrays.stream(occupancyPeak).max().orElse(0);
            long poolPeak = Arrays.stream(poolPeakSum).max().orElse(0);
            System.out.printf(Locale.ROOT, "series: %d instances of %dx%d, %.1f MB stored, %.1f MB multipart response%n",
                    slices, size, size, mb(sourceBytes), mb(responseBytes));
            System.out.printf(Locale.ROOT, "curl       median %.3f s  (%.0f MB/s), cpu %.3f s  one file%n", curlMedian,
                    mb(responseBytes) / curlMedian, median(curlCpu));
            System.out.printf(Locale.ROOT, "groundflow median %.3f s  (%.0f MB/s), cpu %.3f s  %d files%n", groundflowMedian,
                    mb(responseBytes) / groundflowMedian, median(groundflowCpu), files.size());
            System.out.printf(Locale.ROOT, "heap: max %.0f MB; peak used %.1f MB (largest before-GC occupancy), %.1f MB (sum of"
                    + " pool peaks), garbage included; %.1f MB allocated per retrieval (median)%n", mb(HeapPeak.maxHeapBytes()),
                    mb(heapPeak), mb(poolPeak), mb((long) median(Arrays.stream(allocated).asDoubleStream().toArray())));
            Properties result = new Properties();
            result.setProperty("instances", Integer.toString(slices));
            result.setProperty("size", Integer.toString(size));
            result.setProperty("repetitions", Integer.toString(repetitions));
            result.setProperty("response.mb", format(mb(responseBytes)));
            result.setProperty("curl.median.s", format(curlMedian));
            result.setProperty("groundflow.median.s", format(groundflowMedian));
            result.setProperty("ratio", format(ratio));
            result.setProperty("curl.cpu.median.s", format(median(curlCpu)));
            result.setProperty("groundflow.cpu.median.s", format(median(groundflowCpu)));
            result.setProperty("curl.min.s", format(Arrays.stream(curlSeconds).min().orElse(0)));
            result.setProperty("groundflow.min.s", format(Arrays.stream(groundflowSeconds).min().orElse(0)));
            result.setProperty("heap.max.mb", format(mb(HeapPeak.maxHeapBytes())));
            result.setProperty("allocated.median.mb", format(mb((long) median(Arrays.stream(allocated).asDoubleStream().toArray()))));
            result.setProperty("heap.peak.mb", format(mb(heapPeak)));
            result.setProperty("heap.poolpeaks.mb", format(mb(poolPeak)));
            try (var out = Files.newBufferedWriter(work.resolve("retrieval.properties"))) {
                result.store(out, "deploy/bench.sh retrieval");
            }
            Files.deleteIfExists(curlFile);
        }
    }

    private static void decode(Path work, int repetitions) throws IOException {
        List<Path> files = listDicom(work.resolve("retrieved"));
        if (files.isEmpty()) {
            throw new IllegalStateException("nothing to decode in " + work.resolve("retrieved") + "; run retrieve first");
        }
        ImageVolumeReader.read(files); // warm-up
        double[] seconds = new double[repetitions];
        ImageVolume volume = null;
        for (int r = 0; r < repetitions; r++) {
            volume = null;
            long started = System.nanoTime();
            volume = ImageVolumeReader.read(files);
            seconds[r] = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "decode repetition %d: %.3f s%n", r + 1, seconds[r]);
        }
        double perSliceMs = median(seconds) * 1000 / files.size();
        System.out.printf(Locale.ROOT, "decode: %d slices %dx%d into a volume, median %.3f s, %.2f ms per slice%n",
                volume.slices(), volume.columns(), volume.rows(), median(seconds), perSliceMs);
        Properties result = new Properties();
        Path properties = work.resolve("retrieval.properties");
        if (Files.exists(properties)) {
            try (var in = Files.newBufferedReader(properties)) {
                result.load(in);
            }
        }
        result.setProperty("decode.median.s", format(median(seconds)));
        result.setProperty("decode.ms.per.slice", format(perSliceMs));
        try (var out = Files.newBufferedWriter(properties)) {
            result.store(out, "deploy/bench.sh retrieval");
        }
    }

    /** The source series, written once and reused by later runs. */
    private static List<Path> sourceSeries(Path directory, SyntheticStudy study) {
        List<Path> existing = listDicom(directory);
        if (existing.size() == study.slices()) {
            return existing;
        }
        long started = System.nanoTime();
        List<Path> files = study.writeTo(directory);
        System.out.printf(Locale.ROOT, "generated %d slices in %.1f s%n", files.size(), (System.nanoTime() - started) / 1e9);
        return files;
    }

    /** Wall time as curl reports it ({@code time_total}) and CPU time (user + system) as bash's time reports it. */
    private record Timing(double seconds, double cpuSeconds) {
    }

    private static Timing curl(String url, Path file) throws IOException, InterruptedException {
        String command = "TIMEFORMAT='%3U %3S'; time curl -sS --fail -o '" + file + "' -w '%{time_total}' -H '"
                + "Accept: " + ACCEPT + "' '" + url + "'";
        Process process = new ProcessBuilder("bash", "-c", command).redirectErrorStream(false).start();
        String out;
        try (InputStream in = process.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
        String err;
        try (InputStream in = process.getErrorStream()) {
            err = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        if (process.waitFor() != 0) {
            throw new IllegalStateException("curl failed: " + err);
        }
        String[] cpu = err.lines().reduce((first, second) -> second).orElse("0 0").split("\\s+");
        return new Timing(Double.parseDouble(out.replace(',', '.')),
                Double.parseDouble(cpu[0].replace(',', '.')) + Double.parseDouble(cpu[1].replace(',', '.')));
    }

    /** Wall time, the JVM's CPU time (all threads: GC and JIT included) and what the retrieving thread allocated. */
    private static Timing groundflow(DicomWebClient client, SyntheticStudy study, Path directory) throws IOException {
        deleteRecursively(directory);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
                .getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        long cpuBefore = processCpuNanos();
        long started = System.nanoTime();
        client.retrieveSeries(study.studyInstanceUid(), study.seriesInstanceUid(), directory);
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpu = (processCpuNanos() - cpuBefore) / 1e9;
        lastAllocatedBytes = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        return new Timing(seconds, cpu);
    }

    private static long lastAllocatedBytes;

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static List<Path> listDicom(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.toString().endsWith(".dcm")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long totalBytes(List<Path> files) {
        long total = 0;
        for (Path file : files) {
            try {
                total += Files.size(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return total;
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    static String format(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    static int intArg(String[] args, int index, int fallback) {
        return args.length > index ? Integer.parseInt(args[index]) : fallback;
    }
}
