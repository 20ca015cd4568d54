package org.groundflow.inference;

import org.groundflow.dicomweb.transport.AtomicFiles;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Segment masks as compact bytes, to keep between process steps: the magic {@code GFMASK}, a format version, then
 * a gzip stream (its CRC catches damage) of the grid size and, per mask, its segment number and bit set.
 */
public final class MaskCodec {

    static final byte[] MAGIC = "GFMASK".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;

    private MaskCodec() {
    }

    public static byte[] encode(SegmentMasks masks) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            write(masks, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return bytes.toByteArray();
    }

    public static SegmentMasks decode(byte[] bytes) {
        try {
            return read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new MaskFormatException("segment masks cannot be read: " + e.getMessage(), e);
        }
    }

    /** Writes the masks to {@code file} (through a temporary file, so readers never see half a file). */
    public static void write(SegmentMasks masks, Path file) throws IOException {
        AtomicFiles.write(file, out -> write(masks, out));
    }

    public static SegmentMasks read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    public static void write(SegmentMasks masks, OutputStream target) throws IOException {
        target.write(MAGIC);
        DataOutputStream header = new DataOutputStream(target);
        header.writeInt(VERSION);
        header.flush();
        GZIPOutputStream zip = new GZIPOutputStream(target, 1 << 16);
        DataOutputStream out = new DataOutputStream(zip);
        out.writeInt(masks.columns());
        out.writeInt(masks.rows());
        out.writeInt(masks.slices());
        out.writeInt(masks.masks().size());
        for (SegmentMask mask : masks.masks()) {
            byte[] bits = mask.voxels().toByteArray();
            out.writeInt(mask.segmentNumber());
            out.writeInt(bits.length);
            out.write(bits);
        }
        out.flush();
        zip.finish();
    }

    /** Reads masks written by {@link #write(SegmentMasks, OutputStream)}; anything else is a {@link MaskFormatException}. */
    public static SegmentMasks read(InputStream source) throws IOException {
        byte[] magic = source.readNBytes(MAGIC.length);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new MaskFormatException("not a segment mask file: it does not start with GFMASK");
        }
        int version = new DataInputStream(source).readInt();
        if (version != VERSION) {
            throw new MaskFormatException("segment mask format version " + version + " is not supported (only " + VERSION + ")");
        }
        try {
            DataInputStream in = new DataInputStream(new GZIPInputStream(source, 1 << 16));
            int columns = in.readInt();
            int rows = in.readInt();
            int slices = in.readInt();
            int count = in.readInt();
            long voxels = (long) columns * rows * slices;
            if (columns <= 0 || rows <= 0 || slices <= 0 || count < 0 || voxels > Integer.MAX_VALUE) {
                throw new MaskFormatException("segment mask header is damaged: grid " + columns + "x" + rows + "x"
                        + slices + ", " + count + " masks");
            }
            List<SegmentMask> masks = new ArrayList<>(Math.min(count, 1024));
            for (int i = 0; i < count; i++) {
                int segmentNumber = in.readInt();
                int length = in.readInt();
                if (length < 0 || length > (voxels + 7) / 8) {
                    throw new MaskFormatException("segment " + segmentNumber + " claims " + length
                            + " bytes, more than a " + voxels + "-voxel grid needs");
                }
                masks.add(new SegmentMask(segmentNumber, BitSet.valueOf(in.readNBytes(length))));
            }
            if (in.read() != -1) {
                throw new MaskFormatException("segment mask data goes on after the last mask");
            }
            return new SegmentMasks(columns, rows, slices, masks);
        } catch (EOFException | ZipException e) {
            throw new MaskFormatException("segment mask data is truncated or damaged: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new MaskFormatException("segment masks are inconsistent: " + e.getMessage(), e);
        }
    }
}
