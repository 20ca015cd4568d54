package org.groundflow.dicomweb.volume;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.TagFromName;

/**
 * Turns the pixel data of one grey-scale image (single- or multi-frame, already decompressed by PixelMed when it
 * was read) into rescaled values, one frame at a time.
 */
final class PixelDecoder {

    private final String series;
    private final String instance;
    private final int bitsStored;
    private final boolean signed;
    private final short[] words;
    private final byte[] bytes;

    private PixelDecoder(String series, String instance, int bitsStored, boolean signed, short[] words, byte[] bytes) {
        this.series = series;
        this.instance = instance;
        this.bitsStored = bitsStored;
        this.signed = signed;
        this.words = words;
        this.bytes = bytes;
    }

    /**
     * @throws VolumeException when the image is not grey-scale, not 8 or 16 bits, or has no pixel data
     */
    static PixelDecoder of(AttributeList list, String series, String instance) {
        int samples = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.SamplesPerPixel, 1);
        String photometric = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PhotometricInterpretation);
        if (samples != 1 || !photometric.startsWith("MONOCHROME")) {
            throw fail(series, instance, "not grey-scale (SamplesPerPixel " + samples + ", " + photometric + ")");
        }
        int bitsAllocated = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsAllocated, 0);
        int bitsStored = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsStored, bitsAllocated);
        boolean signed = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.PixelRepresentation, 0) == 1;
        Attribute pixelData = list.getPixelData();
        if (pixelData == null) {
            throw fail(series, instance, "no pixel data");
        }
        if (bitsStored < 1 || bitsStored > bitsAllocated) {
            throw fail(series, instance, "BitsStored " + bitsStored + " with BitsAllocated " + bitsAllocated);
        }
        try {
            return switch (bitsAllocated) {
                case 16 -> new PixelDecoder(series, instance, bitsStored, signed, pixelData.getShortValues(), null);
                case 8 -> new PixelDecoder(series, instance, bitsStored, signed, null, bytes(pixelData));
                default -> throw fail(series, instance, "BitsAllocated " + bitsAllocated
                        + " is not supported (8 and 16 are)");
            };
        } catch (DicomException | RuntimeException e) {
            if (e instanceof VolumeException volume) {
                throw volume;
            }
            throw new VolumeException(series, "undecodable pixel data in instance " + instance + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes frame {@code frameIndex} ({@code count} pixels) as {@code stored * slope + intercept} into
     * {@code target[offset ..]}.
     */
    void decodeFrame(int frameIndex, int count, double slope, double intercept, float[] target, int offset) {
        long start = (long) frameIndex * count;
        int length = words != null ? words.length : bytes.length;
        if (start + count > length) {
            throw fail(series, instance, "pixel data holds " + length + " values, " + (start + count)
                    + " expected for frame " + (frameIndex + 1) + " (compressed or truncated?)");
        }
        int from = (int) start;
        int shift = 32 - bitsStored;
        if (words != null) {
            for (int i = 0; i < count; i++) {
                int raw = words[from + i] & 0xFFFF;
                int stored = signed ? (raw << shift) >> shift : (raw << shift) >>> shift;
                target[offset + i] = (float) (stored * slope + intercept);
            }
        } else {
            for (int i = 0; i < count; i++) {
                int raw = bytes[from + i] & 0xFF;
                int stored = signed ? (raw << shift) >> shift : (raw << shift) >>> shift;
                target[offset + i] = (float) (stored * slope + intercept);
            }
        }
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
