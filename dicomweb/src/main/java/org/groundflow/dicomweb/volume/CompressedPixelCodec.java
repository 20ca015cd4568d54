package org.groundflow.dicomweb.volume;

import org.groundflow.dicomweb.format.TransferSyntaxNames;

import java.nio.file.Path;
import java.util.Set;

import gdcm.Image;
import gdcm.ImageReader;
import gdcm.Trace;

/**
 * Decodes encapsulated (compressed) pixel data with GDCM's Java binding (Debian {@code libgdcm-java}: OpenJPEG for
 * JPEG 2000, CharLS for JPEG-LS, GDCM's own JPEG lossless/lossy and RLE decoders). One file at a time; the result
 * holds every frame's stored values, little-endian, for {@link PixelDecoder} to rescale. Native (uncompressed and
 * deflated) pixel data stays with PixelMed.
 */
final class CompressedPixelCodec {

    /** Transfer syntaxes whose pixel data is not encapsulated: implicit, explicit, deflated and big-endian. */
    private static final Set<String> NATIVE = Set.of("1.2.840.10008.1.2", "1.2.840.10008.1.2.1",
            "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.2");

    private CompressedPixelCodec() {
    }

    /** Whether pixel data in this transfer syntax is encapsulated, so this codec decodes it. */
    static boolean decodes(String transferSyntaxUid) {
        return transferSyntaxUid != null && !transferSyntaxUid.isEmpty() && !NATIVE.contains(transferSyntaxUid);
    }

    /**
     * @return the stored values of every frame, frame after frame, little-endian
     * @throws VolumeException naming the series, instance and transfer syntax when GDCM is missing or cannot decode
     */
    static byte[] decode(Path file, String series, String instance, String transferSyntaxUid) {
        if (Library.PROBLEM != null) {
            throw fail(series, instance, transferSyntaxUid, "no codec: GDCM's Java binding (Debian libgdcm-java) "
                    + "cannot be loaded: " + Library.PROBLEM);
        }
        ImageReader reader = new ImageReader();
        try {
            reader.SetFileName(file.toString());
            if (!reader.Read()) {
                throw fail(series, instance, transferSyntaxUid, "GDCM cannot read the image");
            }
            Image image = reader.GetImage();
            long length = image.GetBufferLength();
            if (length <= 0 || length > Integer.MAX_VALUE - 8) {
                throw fail(series, instance, transferSyntaxUid, "GDCM reports " + length + " bytes of pixel data");
            }
            byte[] pixels = new byte[(int) length];
            if (!image.GetBuffer(pixels)) {
                throw fail(series, instance, transferSyntaxUid, "GDCM cannot decode the pixel data");
            }
            return pixels;
        } finally {
            reader.delete();
        }
    }

    private static VolumeException fail(String series, String instance, String transferSyntaxUid, String reason) {
        return new VolumeException(series, "undecodable pixel data in instance " + instance
                + TransferSyntaxNames.describe(transferSyntaxUid) + ": " + reason);
    }

    /** Loads the native part once; {@link #PROBLEM} is null when it loaded. */
    private static final class Library {

        static final String PROBLEM = load();

        private static String load() {
            try {
                System.loadLibrary("gdcmjni");
                Trace.DebugOff();
                Trace.WarningOff();
                Trace.ErrorOff();
                return null;
            } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                return e.getMessage();
            }
        }
    }
}
