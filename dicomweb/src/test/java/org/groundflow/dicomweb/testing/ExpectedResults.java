package org.groundflow.dicomweb.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.seg.SegmentDescription;
import org.groundflow.dicomweb.seg.Segmentation;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What an outside reader (pydicom, @cornerstonejs/adapters, OHIF) must find in published results, as the JSON file the
 * check scripts read: the study, source series, SEG, and per segment its label, voxel count and voxels per source
 * image, and the signed sentence of each segment.
 */
public final class ExpectedResults {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExpectedResults() {
    }

    public static Path write(Path file, ImageVolume source, Segmentation seg, String segSeriesDescription,
                             List<BitSet> masks, List<String> sentences) {
        List<SegmentDescription> segments = seg.segments();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("study", source.studyInstanceUid().value());
        root.put("source", Map.of("series", source.seriesInstanceUid().value()));
        root.put("seg", Map.of("series", seg.seriesInstanceUid().value(), "instance", seg.sopInstanceUid().value(),
                "seriesDescription", segSeriesDescription));
        List<Map<String, Object>> expected = new java.util.ArrayList<>();
        Map<String, String> sentenceOf = new LinkedHashMap<>();
        int perSlice = source.voxelsPerSlice();
        for (int s = 0; s < segments.size(); s++) {
            BitSet mask = masks.get(s);
            Map<String, Integer> slices = new LinkedHashMap<>();
            for (int z = 0; z < source.slices(); z++) {
                int count = mask.get(z * perSlice, (z + 1) * perSlice).cardinality();
                if (count > 0) {
                    slices.put(source.sopInstanceUids().get(z).value(), count);
                }
            }
            Map<String, Object> segment = new LinkedHashMap<>();
            segment.put("number", segments.get(s).number());
            segment.put("label", segments.get(s).label());
            segment.put("voxels", mask.cardinality());
            segment.put("slices", slices);
            expected.add(segment);
            sentenceOf.put(String.valueOf(segments.get(s).number()), sentences.get(s));
        }
        root.put("segments", expected);
        root.put("sentences", sentenceOf);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
