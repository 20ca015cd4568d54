package org.groundflow.workflow.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.groundflow.workflow.read.DisplaySegment;
import org.groundflow.workflow.read.DisplayWindow;
import org.groundflow.workflow.read.ReadFailure;
import org.groundflow.workflow.read.ReadImages;
import org.groundflow.workflow.read.SliceImages;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/reads/{readId}/...}: a read's series as the review UI shows it: its grid and the findings' segments
 * ({@code volume}), each slice as a greyscale PNG in a display window ({@code slices/{z}.png}) and the segments of
 * each slice as an RGBA PNG to lay over it ({@code overlays/{z}.png}). Slices count from 0 along the slice normal.
 */
@RestController
@RequestMapping("/api/reads/{readId}")
public class ReadImageController {

    private static final CacheControl IMAGE_CACHING = CacheControl.maxAge(10, TimeUnit.MINUTES).cachePrivate();
    private static final MediaType PNG = MediaType.IMAGE_PNG;

    private final ReadAccess access;
    private final ReadImages images;

    public ReadImageController(ReadAccess access, ReadImages images) {
        this.access = access;
        this.images = images;
    }

    /** The grid and the segments of a read, without patient data. */
    public record VolumeView(String readId, String studyInstanceUid, String seriesInstanceUid, int columns, int rows,
                             int slices, double rowSpacing, double columnSpacing, double sliceSpacing,
                             List<String> windows, List<DisplaySegment> segments) {
    }

    @GetMapping("/volume")
    public VolumeView volume(@PathVariable String readId) {
        SliceImages read = images(readId);
        return new VolumeView(readId, read.studyInstanceUid().value(), read.seriesInstanceUid().value(), read.columns(),
                read.rows(), read.slices(), read.rowSpacing(), read.columnSpacing(), read.sliceSpacing(),
                List.of(DisplayWindow.LUNG.key(), DisplayWindow.SOFT.key()), read.segments());
    }

    @GetMapping("/slices/{z}.png")
    public ResponseEntity<byte[]> slice(@PathVariable String readId, @PathVariable("z") String z,
                                        @RequestParam(defaultValue = "lung") String window) {
        DisplayWindow displayWindow = DisplayWindow.parse(window);
        SliceImages read = images(readId);
        return png(read.slicePng(slice(read, z), displayWindow));
    }

    @GetMapping("/overlays/{z}.png")
    public ResponseEntity<byte[]> overlay(@PathVariable String readId, @PathVariable("z") String z,
                                          @RequestParam(required = false) String segments) {
        List<Integer> shown = segments == null ? null : segmentNumbers(segments);
        SliceImages read = images(readId);
        return png(read.overlayPng(slice(read, z), shown));
    }

    private SliceImages images(String readId) {
        access.requireViewer(readId);
        try {
            return images.of(readId).orElseThrow(() -> ApiException.conflict("read " + readId
                    + " has no draft yet: its images are shown once the model has read it"));
        } catch (ReadFailure e) {
            throw ApiException.conflict(e.getMessage());
        }
    }

    private static int slice(SliceImages read, String z) {
        int index;
        try {
            index = Integer.parseInt(z);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("slice must be a whole number, got '" + z + "'");
        }
        if (index < 0 || index >= read.slices()) {
            throw ApiException.notFound("slice " + index + " does not exist: the series has slices 0 to " + (read.slices() - 1));
        }
        return index;
    }

    private static List<Integer> segmentNumbers(String list) {
        List<Integer> numbers = new ArrayList<>();
        for (String part : list.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                numbers.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("segments must be comma-separated segment numbers, got '" + list + "'");
            }
        }
        return numbers;
    }

    private static ResponseEntity<byte[]> png(byte[] bytes) {
        return ResponseEntity.ok().contentType(PNG).cacheControl(IMAGE_CACHING).body(bytes);
    }
}
