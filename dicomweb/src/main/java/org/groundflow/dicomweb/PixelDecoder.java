package org.groundflow.dicomweb;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;

/** Turns the native pixel data of one single-frame grey-scale image into rescaled values. */
final class PixelDecoder {

    private PixelDecoder() {
    }

    static void decode(AttributeList list, String series, String instance, int count, float[] target, int offset) {
        int samples = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.SamplesPerPixel, 1);
        String photometric = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PhotometricInterpretation);
        if (samples != 1 || !photometric.startsWith("MONOCHROME")) {
            throw fail(series, instance, "not grey-scale (SamplesPerPixel " + samples + ", " + photometric + ")");
        }
        int bitsAllocated = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsAllocated, 0);
        int bitsStored = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsStored, bitsAllocated);
        boolean signed = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.PixelRepresentation, 0) == 1;
        double slope = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleSlope, 1.0);
        double intercept = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleIntercept, 0.0);
        if (slope == 0) {
            slope = 1.0;
        }
        Attribute pixelData = list.getPixelData();
        if (pixelData == null) {
            throw fail(series, instance, "no pixel data");
        }
        if (bitsStored < 1 || bitsStored > bitsAllocated) {
            throw fail(series, instance, "BitsStored " + bitsStored + " with BitsAllocated " + bitsAllocated);
        }
        try {
            switch (bitsAllocated) {
                case 16 -> decode16(pixelData.getShortValues(), bitsStored, signed, slope, intercept, count, target,
                        offset, series, instance);
                case 8 -> decode8(pixelData.getByteValues(), bitsStored, signed, slope, intercept, count, target,
                        offset, series, instance);
                default -> throw fail(series, instance, "BitsAllocated " + bitsAllocated + " is not supported");
            }
        } catch (DicomException | RuntimeException e) {
            if (e instanceof VolumeException volume) {
                throw volume;
            }
            throw new VolumeException(series, "undecodable pixel data in instance " + instance + ": " + e.getMessage(), e);
        }
    }

    private static void decode16(short[] values, int bitsStored, boolean signed, double slope, double intercept,
                                 int count, float[] target, int offset, String series, String instance) {
        requireLength(values == null ? -1 : values.length, count, series, instance);
        int shift = 32 - bitsStored;
        for (int i = 0; i < count; i++) {
            int raw = values[i] & 0xFFFF;
            int stored = signed ? (raw << shift) >> shift : (raw << shift) >>> shift;
            target[offset + i] = (float) (stored * slope + intercept);
        }
    }

    private static void decode8(byte[] values, int bitsStored, boolean signed, double slope, double intercept,
                                int count, float[] target, int offset, String series, String instance) {
        requireLength(values == null ? -1 : values.length, count, series, instance);
        int shift = 32 - bitsStored;
        for (int i = 0; i < count; i++) {
            int raw = values[i] & 0xFF;
            int stored = signed ? (raw << shift) >> shift : (raw << shift) >>> shift;
            target[offset + i] = (float) (stored * slope + intercept);
        }
    }

    private static void requireLength(int actual, int count, String series, String instance) {
        if (actual < count) {
            throw fail(series, instance, "pixel data holds " + Math.max(actual, 0) + " values, " + count
                    + " expected (compressed or truncated?)");
        }
    }

    private static VolumeException fail(String series, String instance, String reason) {
        return new VolumeException(series, "undecodable pixel data in instance " + instance + ": " + reason);
    }
}
