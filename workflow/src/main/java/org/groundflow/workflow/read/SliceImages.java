package org.groundflow.workflow.read;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.Uid;
import org.groundflow.inference.Finding;
import org.groundflow.inference.Interpretation;
import org.groundflow.inference.ModelCard;
import org.groundflow.inference.SegmentMask;
import org.groundflow.inference.SegmentMasks;

/**
 * The slices of one read as PNG images for the review UI: greyscale slices in a display window, and overlays that
 * draw each finding's segment in its colour. Holds the volume as 16-bit HU (half the memory of the decoded floats)
 * and the masks of the draft's findings; immutable once made.
 */
public final class SliceImages {

    /** Opacity of a segment's inside (~0.45) and of its outline (~0.9) in an overlay. */
    static final int FILL_ALPHA = 115;
    static final int EDGE_ALPHA = 230;

    private final Uid studyInstanceUid;
    private final Uid seriesInstanceUid;
    private final int columns;
    private final int rows;
    private final int slices;
    private final double rowSpacing;
    private final double columnSpacing;
    private final double sliceSpacing;
    private final short[] hu;
    /** Segments in finding order, with their voxels. */
    private final Map<Integer, BitSet> voxelsBySegment = new LinkedHashMap<>();
    private final Map<Integer, Integer> rgbBySegment = new LinkedHashMap<>();
    private final List<DisplaySegment> segments = new ArrayList<>();

    private SliceImages(ImageVolume volume, Interpretation draft, SegmentMasks masks, ModelCard card) {
        this.studyInstanceUid = volume.studyInstanceUid();
        this.seriesInstanceUid = volume.seriesInstanceUid();
        this.columns = volume.columns();
        this.rows = volume.rows();
        this.slices = volume.slices();
        this.rowSpacing = volume.rowSpacing();
        this.columnSpacing = volume.columnSpacing();
        this.sliceSpacing = volume.sliceSpacing();
        float[] voxels = volume.voxels();
        this.hu = new short[voxels.length];
        for (int i = 0; i < voxels.length; i++) {
            hu[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(voxels[i])));
        }
        if (draft.findings().isEmpty()) {
            return;
        }
        Objects.requireNonNull(masks, "the draft has findings but no masks");
        if (masks.columns() != columns || masks.rows() != rows || masks.slices() != slices) {
            throw new ReadFailure("study " + studyInstanceUid + ": masks on a " + masks.columns() + "x" + masks.rows() + "x"
                    + masks.slices() + " grid do not fit the " + columns + "x" + rows + "x" + slices + " volume");
        }
        Map<Integer, Integer> colours = SegmentPalette.colours(draft.findings(), card);
        for (Finding finding : draft.findings()) {
            SegmentMask mask = masks.masks().stream().filter(m -> m.segmentNumber() == finding.segmentNumber())
                    .findFirst().orElseThrow(() -> new ReadFailure("study " + studyInstanceUid + ": finding "
                            + finding.number() + " names segment " + finding.segmentNumber() + ", which has no mask"));
            BitSet bits = mask.voxels();
            int rgb = colours.get(finding.number());
            voxelsBySegment.put(finding.segmentNumber(), bits);
            rgbBySegment.put(finding.segmentNumber(), rgb);
            segments.add(describe(finding, bits, rgb));
        }
    }

    /**
     * The display form of a read: {@code volume} is the series the draft was read from, {@code masks} its segments
     * (may be null only when the draft has no findings), {@code card} gives the label colours.
     */
    public static SliceImages of(ImageVolume volume, Interpretation draft, SegmentMasks masks, ModelCard card) {
        return new SliceImages(Objects.requireNonNull(volume, "volume"), Objects.requireNonNull(draft, "draft"), masks,
                Objects.requireNonNull(card, "card"));
    }

    public Uid studyInstanceUid() {
        return studyInstanceUid;
    }

    public Uid seriesInstanceUid() {
        return seriesInstanceUid;
    }

    public int columns() {
        return columns;
    }

    public int rows() {
        return rows;
    }

    public int slices() {
        return slices;
    }

    public double rowSpacing() {
        return rowSpacing;
    }

    public double columnSpacing() {
        return columnSpacing;
    }

    public double sliceSpacing() {
        return sliceSpacing;
    }

    /** The draft's findings' segments, in finding order. */
    public List<DisplaySegment> segments() {
        return List.copyOf(segments);
    }

    /** Slice {@code z} in {@code window}: an 8-bit greyscale PNG, {@code columns} wide and {@code rows} high. */
    public byte[] slicePng(int z, DisplayWindow window) {
        requireSlice(z);
        BufferedImage image = new BufferedImage(columns, rows, BufferedImage.TYPE_BYTE_GRAY);
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int offset = z * rows * columns;
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = window.grey(hu[offset + i]);
        }
        return png(image);
    }

    /**
     * The overlay of slice {@code z}: an RGBA PNG of the same size, each listed segment (all when
     * {@code segmentNumbers} is null) filled in its colour at ~45% opacity with a ~90% outline, transparent elsewhere.
     */
    public byte[] overlayPng(int z, Collection<Integer> segmentNumbers) {
        requireSlice(z);
        if (segmentNumbers != null) {
            for (Integer number : segmentNumbers) {
                if (!voxelsBySegment.containsKey(number)) {
                    throw new IllegalArgumentException("segment " + number + " is not a segment of this read (it has "
                            + voxelsBySegment.keySet() + ")");
                }
            }
        }
        BufferedImage image = new BufferedImage(columns, rows, BufferedImage.TYPE_INT_ARGB);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        int sliceStart = z * rows * columns;
        int sliceEnd = sliceStart + rows * columns;
        for (Map.Entry<Integer, BitSet> segment : voxelsBySegment.entrySet()) {
            if (segmentNumbers != null && !segmentNumbers.contains(segment.getKey())) {
                continue;
            }
            BitSet bits = segment.getValue();
            int rgb = rgbBySegment.get(segment.getKey());
            for (int v = bits.nextSetBit(sliceStart); v >= 0 && v < sliceEnd; v = bits.nextSetBit(v + 1)) {
                int i = v - sliceStart;
                int alpha = edge(bits, sliceStart, i % columns, i / columns) ? EDGE_ALPHA : FILL_ALPHA;
                pixels[i] = (alpha << 24) | rgb;
            }
        }
        return png(image);
    }

    private boolean edge(BitSet bits, int sliceStart, int x, int y) {
        return x == 0 || y == 0 || x == columns - 1 || y == rows - 1
                || !bits.get(sliceStart + y * columns + x - 1) || !bits.get(sliceStart + y * columns + x + 1)
                || !bits.get(sliceStart + (y - 1) * columns + x) || !bits.get(sliceStart + (y + 1) * columns + x);
    }

    private void requireSlice(int z) {
        if (z < 0 || z >= slices) {
            throw new IndexOutOfBoundsException("slice " + z + " does not exist: the series has slices 0 to " + (slices - 1));
        }
    }

    private DisplaySegment describe(Finding finding, BitSet bits, int rgb) {
        int perSlice = rows * columns;
        long count = 0;
        double sumZ = 0;
        int minX = columns;
        int maxX = -1;
        int minY = rows;
        int maxY = -1;
        int[] onSlice = new int[slices];
        for (int v = bits.nextSetBit(0); v >= 0; v = bits.nextSetBit(v + 1)) {
            int z = v / perSlice;
            int x = v % columns;
            int y = (v % perSlice) / columns;
            count++;
            sumZ += z;
            onSlice[z]++;
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
        }
        if (count == 0) {
            return new DisplaySegment(finding.number(), finding.segmentNumber(), finding.label(), SegmentPalette.hex(rgb),
                    0, 0, 0, columns / 2, rows / 2, 0, columns - 1, 0, rows - 1, 0);
        }
        int first = bits.nextSetBit(0) / perSlice;
        int last = (bits.length() - 1) / perSlice;
        int centroid = (int) Math.round(sumZ / count);
        for (int d = 0; onSlice[centroid] == 0 && d < slices; d++) {
            if (centroid - d >= 0 && onSlice[centroid - d] > 0) {
                centroid -= d;
            } else if (centroid + d < slices && onSlice[centroid + d] > 0) {
                centroid += d;
            }
        }
        double sumX = 0;
        double sumY = 0;
        int start = centroid * perSlice;
        for (int v = bits.nextSetBit(start); v >= 0 && v < start + perSlice; v = bits.nextSetBit(v + 1)) {
            sumX += (v - start) % columns;
            sumY += (v - start) / columns;
        }
        int n = onSlice[centroid];
        return new DisplaySegment(finding.number(), finding.segmentNumber(), finding.label(), SegmentPalette.hex(rgb),
                first, last, centroid, (int) Math.round(sumX / n), (int) Math.round(sumY / n), minX, maxX, minY, maxY, count);
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
        try {
            if (!ImageIO.write(image, "png", bytes)) {
                throw new IllegalStateException("this Java runtime has no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a PNG", e);
        }
        return bytes.toByteArray();
    }
}
