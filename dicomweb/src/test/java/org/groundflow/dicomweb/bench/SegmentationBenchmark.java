package org.groundflow.dicomweb.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.VolumeGeometry;
import org.groundflow.dicomweb.StudyContext;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.seg.RgbColour;
import org.groundflow.dicomweb.seg.SegmentAlgorithmType;
import org.groundflow.dicomweb.seg.SegmentCodes;
import org.groundflow.dicomweb.seg.SegmentDescription;
import org.groundflow.dicomweb.seg.Segmentation;
import org.groundflow.dicomweb.seg.VoxelMask;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code deploy/bench.sh seg}, the Java side: encodes a BINARY SEG of a COLUMNS x ROWS x SLICES CT volume (default
 * 512 x 512 x 300, 0.75 mm pixels, 1 mm slices) with SEGMENTS ellipsoidal segments (default 5, radii 10, 20, ... mm),
 * from masks in memory to the Part 10 bytes in memory ({@code build()} + {@code toBytes()}), WARM_UP times and then
 * REPETITIONS times. Writes {@code WORK/seg-spec.json} (geometry, UIDs and the segments as integer inequalities, so
 * the pydicom side makes the very same masks), {@code WORK/groundflow-seg.dcm} and {@code WORK/groundflow.properties}.
 *
 * <p>Usage: {@code SegmentationBenchmark WORK [slices] [size] [segments] [repetitions]}; heap for the volume: the
 * source ImageVolume holds floats (300 x 512 x 512 x 4 = 315 MB).
 */
public final class SegmentationBenchmark {

    private static final int WARM_UP = 3;
    /** In-plane spacing 0.75 mm = 3/4, slice spacing 1 mm = 4/4: lengths in quarter millimetres stay integers. */
    private static final int PIXEL_QUARTERS = 3;
    private static final int SLICE_QUARTERS = 4;

    private SegmentationBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path work = Path.of(args[0]);
        int slices = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 512;
        int segments = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        int repetitions = args.length > 4 ? Integer.parseInt(args[4]) : 7;
        Files.createDirectories(work);

        ImageVolume volume = volume(slices, size);
        List<int[]> spheres = spheres(segments, size, slices);
        List<SegmentDescription> descriptions = new ArrayList<>();
        List<VoxelMask> masks = new ArrayList<>();
        for (int n = 1; n <= segments; n++) {
            descriptions.add(new SegmentDescription(n, "Finding " + n, SegmentCodes.MORPHOLOGICALLY_ABNORMAL_STRUCTURE,
                    SegmentCodes.NODULE, SegmentAlgorithmType.AUTOMATIC, new RgbColour(230, 159, 0)));
            masks.add(VoxelMask.on(volume, mask(spheres.get(n - 1), size, slices)));
        }
        writeSpec(work.resolve("seg-spec.json"), volume, spheres);

        byte[] bytes = null;
        int frames = 0;
        for (int w = 0; w < WARM_UP; w++) {
            bytes = encode(volume, descriptions, masks).toBytes();
        }
        double[] seconds = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            long start = System.nanoTime();
            Segmentation seg = encode(volume, descriptions, masks);
            bytes = seg.toBytes();
            seconds[r] = (System.nanoTime() - start) / 1e9;
            frames = seg.frameCount();
        }
        Files.write(work.resolve("groundflow-seg.dcm"), bytes);
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        Properties properties = new Properties();
        properties.setProperty("groundflow.median.s", String.format(Locale.ROOT, "%.4f", sorted[repetitions / 2]));
        properties.setProperty("groundflow.min.s", String.format(Locale.ROOT, "%.4f", sorted[0]));
        properties.setProperty("groundflow.bytes", String.valueOf(bytes.length));
        properties.setProperty("groundflow.frames", String.valueOf(frames));
        properties.setProperty("groundflow.runs.s", Arrays.toString(seconds));
        try (var out = Files.newOutputStream(work.resolve("groundflow.properties"))) {
            properties.store(out, "deploy/bench.sh seg, Groundflow side");
        }
    }

    private static Segmentation encode(ImageVolume volume, List<SegmentDescription> descriptions, List<VoxelMask> masks) {
        return Segmentation.builder(volume)
                .seriesInstanceUid(Uid.of("2.25.9001"))
                .sopInstanceUid(Uid.of("2.25.9002"))
                .seriesNumber(9001)
                .algorithm("groundflow-demo-unet", "1.0.0", "Groundflow", Uid.of("2.25.9003"))
                .contentDateTime(java.time.LocalDateTime.of(2024, 6, 11, 10, 30))
                .segments(descriptions, masks)
                .build();
    }

    /** An axial CT grid with a field of view of 384 mm; the voxels stay zero (a SEG only needs the geometry). */
    private static ImageVolume volume(int slices, int size) {
        List<double[]> positions = new ArrayList<>(slices);
        List<Uid> instances = new ArrayList<>(slices);
        for (int k = 0; k < slices; k++) {
            positions.add(new double[] {-191.625, -191.625, k * SLICE_QUARTERS / 4.0});
            instances.add(Uid.of("2.25.8" + String.format(Locale.ROOT, "%05d", k + 1)));
        }
        StudyContext study = new StudyContext("Groundflow^Benchmark", "GF-BENCH-0001", "", "", "20240611", "103000",
                "1", "GFBENCH0001", "", "SEG benchmark");
        double spacing = PIXEL_QUARTERS / 4.0;
        return new ImageVolume(new VolumeGeometry(Uid.of("2.25.7001"), Uid.of("2.25.7002"), Uid.of("2.25.7003"), Uid.of("1.2.840.10008.5.1.4.1.1.2"), "CT", size, size, slices, spacing, spacing, SLICE_QUARTERS / 4.0, new double[] {1, 0, 0}, new double[] {0, 1, 0}, positions, instances, study), new float[size * size * slices]);
    }

    /** Segment n: centre (i, j, k) in voxels and radius in quarter millimetres, spread over the volume. */
    private static List<int[]> spheres(int count, int size, int slices) {
        List<int[]> spheres = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            int radius = 10 * n * 4;
            spheres.add(new int[] {size * n / (count + 1), size * (count + 1 - n) / (count + 1), slices / 2, radius});
        }
        return spheres;
    }

    /** (9 di² + 9 dj² + 16 dk² <= r²) in quarter millimetres: exact in Java and in numpy alike. */
    private static BitSet mask(int[] sphere, int size, int slices) {
        BitSet mask = new BitSet(size * size * slices);
        int ci = sphere[0];
        int cj = sphere[1];
        int ck = sphere[2];
        long r2 = (long) sphere[3] * sphere[3];
        for (int k = 0; k < slices; k++) {
            long dk = (long) (k - ck) * SLICE_QUARTERS;
            for (int j = 0; j < size; j++) {
                long dj = (long) (j - cj) * PIXEL_QUARTERS;
                for (int i = 0; i < size; i++) {
                    long di = (long) (i - ci) * PIXEL_QUARTERS;
                    if (di * di + dj * dj + dk * dk <= r2) {
                        mask.set((k * size + j) * size + i);
                    }
                }
            }
        }
        return mask;
    }

    private static void writeSpec(Path file, ImageVolume volume, List<int[]> spheres) throws IOException {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("study", volume.studyInstanceUid().value());
        spec.put("series", volume.seriesInstanceUid().value());
        spec.put("frameOfReference", volume.frameOfReferenceUid().value());
        spec.put("sopClass", volume.sopClassUid().value());
        spec.put("columns", volume.columns());
        spec.put("rows", volume.rows());
        spec.put("slices", volume.slices());
        spec.put("pixelQuarters", PIXEL_QUARTERS);
        spec.put("sliceQuarters", SLICE_QUARTERS);
        spec.put("instances", volume.sopInstanceUids().stream().map(Uid::value).toList());
        spec.put("positions", volume.slicePositions());
        spec.put("spheres", spheres);
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), spec);
    }
}
