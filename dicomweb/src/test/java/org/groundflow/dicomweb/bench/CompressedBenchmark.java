package org.groundflow.dicomweb.bench;

import static org.groundflow.dicomweb.bench.RetrievalBenchmark.deleteRecursively;
import static org.groundflow.dicomweb.bench.RetrievalBenchmark.format;
import static org.groundflow.dicomweb.bench.RetrievalBenchmark.intArg;
import static org.groundflow.dicomweb.bench.RetrievalBenchmark.listDicom;
import static org.groundflow.dicomweb.bench.RetrievalBenchmark.mb;
import static org.groundflow.dicomweb.bench.RetrievalBenchmark.median;
import static org.groundflow.dicomweb.bench.RetrievalBenchmark.totalBytes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import org.groundflow.dicomweb.client.DicomWebClient;
import org.groundflow.dicomweb.client.TransferSyntaxPreference;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.testing.CompressedCopies;
import org.groundflow.dicomweb.testing.CompressedCopies.Encoding;
import org.groundflow.dicomweb.testing.OrthancServer;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.ImageVolumeReader;

/**
 * {@code deploy/bench.sh compressed}, the Java side: {@code WORK [slices] [size] [repetitions]}. Starts a private
 * Orthanc, stores one synthetic CT series compressed as JPEG-LS and one as JPEG 2000 (both lossless), then times
 * WADO-RS retrieval plus decoding into an {@link ImageVolume} along both paths, alternately, after a warm-up:
 * <ul>
 * <li>transcoded: the endpoint's default (Explicit VR Little Endian; Orthanc decompresses, PixelMed reads);</li>
 * <li>local: {@code transfer-syntax=*} (Orthanc sends what it stores, GDCM decodes here);</li>
 * <li>fallback: JPEG 2000 with the default, which Orthanc cannot transcode (500, then one request as stored).</li>
 * </ul>
 * Writes {@code WORK/compressed.properties}.
 */
public final class CompressedBenchmark {

    private static final int WARM_UP = 2;

    private CompressedBenchmark() {
    }

    /** One way from the PACS to a decoded series. */
    private enum Route {
        TRANSCODED, LOCAL, FALLBACK
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: WORK [slices] [size] [repetitions]");
        }
        Path work = Path.of(args[0]);
        int slices = intArg(args, 1, 100);
        int size = intArg(args, 2, 512);
        int repetitions = intArg(args, 3, 5);
        Files.createDirectories(work);
        SyntheticStudy jpegLs = study("compressed-benchmark-jpeg-ls", slices, size);
        SyntheticStudy jpeg2000 = study("compressed-benchmark-jpeg-2000", slices, size);
        try (OrthancServer orthanc = new OrthancServer().start();
             DicomWebClient client = new DicomWebClient(orthanc.endpoint())) {
            long storedLs = store(client, jpegLs, Encoding.JPEG_LS_LOSSLESS, work);
            long storedJ2k = store(client, jpeg2000, Encoding.JPEG_2000_LOSSLESS, work);
            long uncompressed = totalBytes(listDicom(work.resolve("source-" + jpegLs.seriesInstanceUid())));
            for (int w = 0; w < WARM_UP; w++) {
                for (Route route : Route.values()) {
                    time(client, route == Route.FALLBACK ? jpeg2000 : jpegLs, route, work);
                }
            }
            double[][] seconds = new double[Route.values().length][repetitions];
            for (int r = 0; r < repetitions; r++) {
                for (Route route : Route.values()) {
                    seconds[route.ordinal()][r] = time(client, route == Route.FALLBACK ? jpeg2000 : jpegLs, route, work);
                }
                System.out.printf(Locale.ROOT, "repetition %d: transcoded %.3f s, local %.3f s, fallback %.3f s%n", r + 1,
                        seconds[0][r], seconds[1][r], seconds[2][r]);
            }
            double transcoded = median(seconds[0]);
            double local = median(seconds[1]);
            double fallback = median(seconds[2]);
            System.out.printf(Locale.ROOT, "series: %d slices of %dx%d; %.1f MB uncompressed, %.1f MB as JPEG-LS, %.1f MB as"
                    + " JPEG 2000%n", slices, size, size, mb(uncompressed), mb(storedLs), mb(storedJ2k));
            Properties result = new Properties();
            result.setProperty("slices", Integer.toString(slices));
            result.setProperty("size", Integer.toString(size));
            result.setProperty("uncompressed.mb", format(mb(uncompressed)));
            result.setProperty("jpegls.mb", format(mb(storedLs)));
            result.setProperty("jpeg2000.mb", format(mb(storedJ2k)));
            result.setProperty("transcoded.median.s", format(transcoded));
            result.setProperty("local.median.s", format(local));
            result.setProperty("fallback.median.s", format(fallback));
            result.setProperty("ratio", format(transcoded / local));
            try (var out = Files.newBufferedWriter(work.resolve("compressed.properties"))) {
                result.store(out, "deploy/bench.sh compressed");
            }
        }
    }

    private static SyntheticStudy study(String variant, int slices, int size) {
        return SyntheticStudy.builder().variant(variant).slices(slices).size(size).withoutLesions().build();
    }

    /** Writes the series, compresses it and stores it; returns the bytes stored. */
    private static long store(DicomWebClient client, SyntheticStudy study, Encoding encoding, Path work) {
        Path source = work.resolve("source-" + study.seriesInstanceUid());
        List<Path> files = listDicom(source).size() == study.slices() ? listDicom(source) : study.writeTo(source);
        Path compressed = work.resolve(encoding.name());
        List<Path> copies = listDicom(compressed).size() == files.size() ? listDicom(compressed)
                : CompressedCopies.of(files, encoding, compressed);
        for (int from = 0; from < copies.size(); from += 50) {
            client.store(copies.subList(from, Math.min(copies.size(), from + 50))).requireAllStored();
        }
        return totalBytes(copies);
    }

    /** Seconds to retrieve the series along the path and decode it into a volume. */
    private static double time(DicomWebClient client, SyntheticStudy study, Route route, Path work) throws Exception {
        Path directory = work.resolve("retrieved-" + route);
        deleteRecursively(directory);
        long started = System.nanoTime();
        List<Path> files = route == Route.LOCAL
                ? client.retrieveSeries(study.studyInstanceUid(), study.seriesInstanceUid(),
                TransferSyntaxPreference.asStored(), directory)
                : client.retrieveSeries(study.studyInstanceUid(), study.seriesInstanceUid(), directory);
        ImageVolume volume = ImageVolumeReader.read(files);
        double seconds = (System.nanoTime() - started) / 1e9;
        if (volume.slices() != study.slices()) {
            throw new IllegalStateException(route + ": " + volume.slices() + " slices, " + study.slices() + " expected");
        }
        return seconds;
    }
}
