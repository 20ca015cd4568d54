package org.groundflow.dicomweb.volume;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.TagFromName;

/**
 * Turns the pixel data of one grey-scale image (single- or multi-frame) into rescaled values, one frame at a time:
 * native pixel data as PixelMed read it, or encapsulated pixel data as {@link CompressedPixelCodec} decoded it.
 */
final class PixelDecoder {

    private final String series;
    private final String instance;
    private final int bitsStored;
    private final boolean signed;
    /** 16-bit values as PixelMed holds them. */
    private final short[] words;
    /** 8-bit values, or 16-bit values as little-endian byte pairs when {@link #pairs}. */
    private final byte[] bytes;
    private final boolean pairs;

    private PixelDecoder(String series, String instance, int bitsStored, boolean signed, short[] words, byte[] bytes,
                         boolean pairs) {
        this.series = series;
        this.instance = instance;
        this.bitsStored = bitsStored;
        this.signed = signed;
        this.words = words;
        this.bytes = bytes;
        this.pairs = pairs;
    }

    /**
     * Native pixel data, read by PixelMed.
     *
     * @throws VolumeException when the image is not grey-scale, not 8 or 16 bits, or has no pixel data
     */
    static PixelDecoder of(AttributeList list, String series, String instance) {
        int bitsAllocated = bitsAllocated(list, series, instance);
        int bitsStored = bitsStored(list, series, instance, bitsAllocated);
        boolean signed = signed(list);
        Attribute pixelData = list.getPixelData();
        if (pixelData == null) {
            throw fail(series, instance, "no pixel data");
        }
        try {
            return bitsAllocated == 16
                    ? new PixelDecoder(series, instance, bitsStored, signed, pixelData.getShortValues(), null, false)
                    : new PixelDecoder(series, instance, bitsStored, signed, null, bytes(pixelData), false);
        } catch (DicomException | RuntimeException e) {
            throw new VolumeException(series, "undecodable pixel data in instance " + instance + ": " + e.getMessage(), e);
        }
    }

    /**
     * Pixel data a codec decoded: every frame's stored values, little-endian.
     *
     * @param header the image's attributes up to its pixel data
     * @throws VolumeException when the image is not grey-scale or not 8 or 16 bits
     */
    static PixelDecoder decoded(AttributeList header, byte[] pixels, String series, String instance) {
        int bitsAllocated = bitsAllocated(header, series, instance);
        int bitsStored = bitsStored(header, series, instance, bitsAllocated);
        return new PixelDecoder(series, instance, bitsStored, signed(header), null, pixels, bitsAllocated == 16);
    }

    private static int bitsAllocated(AttributeList list, String series, String instance) {
        int samples = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.SamplesPerPixel, 1);
        String photometric = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PhotometricInterpretation);
        if (samples != 1 || !photometric.startsWith("MONOCHROME")) {
            throw fail(series, instance, "not grey-scale (SamplesPerPixel " + samples + ", " + photometric + ")");
        }
        int bitsAllocated = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsAllocated, 0);
        if (bitsAllocated != 8 && bitsAllocated != 16) {
            throw fail(series, instance, "BitsAllocated " + bitsAllocated + " is not supported (8 and 16 are)");
        }
        return bitsAllocated;
    }

    private static int bitsStored(AttributeList list, String series, String instance, int bitsAllocated) {
        int bitsStored = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsStored, bitsAllocated);
        if (bitsStored < 1 || bitsStored > bitsAllocated) {
            throw fail(series, instance, "BitsStored " + bitsStored + " with BitsAllocated " + bitsAllocated);
        }
        return bitsStored;
    }

    private static boolean signed(AttributeList list) {
        return Attribute.getSingleIntegerValueOrDefault(list, TagFromName.PixelRepresentation, 0) == 1;
    }

    /**
     * Writes frame {@code frameIndex} ({@code count} pixels) as {@code stored * slope + intercept} into
     * {@code target[offset ..]}.
     */
    void decodeFrame(int frameIndex, int count, double slope, double intercept, float[] target, int offset) {
        long start = (long) frameIndex * count;
        int length = words != null ? words.length : pairs ? bytes.length / 2 : bytes.length;
        if (start + count > length) {
            throw fail(series, instance, "pixel data holds " + length + " values, " + (start + count)
                    + " expected for frame " + (frameIndex + 1) + " (compressed or truncated?)");
        }
        int from = (int) start;
        int shift = 32 - bitsStored;
        for (int i = 0; i < count; i++) {
            int raw = raw(from + i);
            int stored = signed ? (raw << shift) >> shift : (raw << shift) >>> shift;
            target[offset + i] = (float) (stored * slope + intercept);
        }
    }

    private int raw(int index) {
        if (words != null) {
            return words[index] & 0xFFFF;
        }
        if (pairs) {
            return (bytes[2 * index] & 0xFF) | (bytes[2 * index + 1] & 0xFF) << 8;
        }
        return bytes[index] & 0xFF;
    }

    /** 8-bit values: OB as is; OW (implicit VR) unpacked from its little-endian words. */
    private static byte[] bytes(Attribute pixelData) throws DicomException {
        if (pixelData instanceof OtherByteAttribute) {
            return pixelData.getByteValues();
        }
        short[] words = pixelData.getShortValues();
        byte[] result = new byte[words.length * 2];
        for (int i = 0; i < words.length; i++) {
            result[2 * i] = (byte) words[i];
            result[2 * i + 1] = (byte) (words[i] >> 8);
        }
        return result;
    }

    private static VolumeException fail(String series, String instance, String reason) {
        return new VolumeException(series, "undecodable pixel data in instance " + instance + ": " + reason);
    }
}
