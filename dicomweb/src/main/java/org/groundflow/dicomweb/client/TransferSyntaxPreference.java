package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.format.MultipartRelated;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The transfer syntaxes a WADO-RS retrieval accepts, most preferred first, as the {@code transfer-syntax} parameters
 * of its Accept header (PS3.18 8.7.3): {@link #serverDefault()} sends none (the server picks; by the standard
 * Explicit VR Little Endian), {@link #asStored()} sends {@code *} (no transcoding), {@link #of} lists UIDs with
 * falling quality values. A server that cannot honour any of them answers 406 (Orthanc answers 500).
 * {@link #uncompressedOrAsStored()}, the endpoint's default, asks for Explicit VR Little Endian and, when the server
 * cannot transcode, once more for the instances as stored, which {@code volume} decodes locally.
 *
 * @param uids                transfer syntax UIDs, or the single wildcard {@code *}; empty for the server's default
 * @param asStoredWhenRefused whether a refusal to transcode (HTTP 406, 500 or 501, or an instance in a transfer
 *                            syntax not asked for) is answered by asking once more with {@code *}
 */
public record TransferSyntaxPreference(List<String> uids, boolean asStoredWhenRefused) {

    /** Any transfer syntax, as stored. */
    public static final String ANY = "*";
    public static final Uid IMPLICIT_VR_LITTLE_ENDIAN = Uid.of("1.2.840.10008.1.2");
    public static final Uid EXPLICIT_VR_LITTLE_ENDIAN = Uid.of("1.2.840.10008.1.2.1");
    public static final Uid JPEG_BASELINE = Uid.of("1.2.840.10008.1.2.4.50");
    public static final Uid JPEG_EXTENDED = Uid.of("1.2.840.10008.1.2.4.51");
    public static final Uid JPEG_LOSSLESS = Uid.of("1.2.840.10008.1.2.4.57");
    /** JPEG lossless, first-order prediction (process 14, selection value 1). */
    public static final Uid JPEG_LOSSLESS_SV1 = Uid.of("1.2.840.10008.1.2.4.70");
    public static final Uid JPEG_LS_LOSSLESS = Uid.of("1.2.840.10008.1.2.4.80");
    public static final Uid JPEG_2000_LOSSLESS = Uid.of("1.2.840.10008.1.2.4.90");
    public static final Uid JPEG_2000 = Uid.of("1.2.840.10008.1.2.4.91");
    public static final Uid RLE_LOSSLESS = Uid.of("1.2.840.10008.1.2.5");

    private static final String MULTIPART = "multipart/related; type=\"%s\"";

    public TransferSyntaxPreference {
        uids = List.copyOf(Objects.requireNonNull(uids, "uids"));
        if (uids.contains(ANY) && uids.size() > 1) {
            throw new IllegalArgumentException("uids: '*' must stand alone, got " + uids);
        }
        for (String uid : uids) {
            if (!uid.equals(ANY)) {
                Uid.of(uid);
            }
        }
        if (uids.stream().distinct().count() != uids.size()) {
            throw new IllegalArgumentException("uids must not repeat, got " + uids);
        }
        if (asStoredWhenRefused && uids.contains(ANY)) {
            throw new IllegalArgumentException("asStoredWhenRefused: '*' is already as stored, got " + uids);
        }
    }

    /** These transfer syntaxes (or {@code *}), without asking again when refused. */
    public TransferSyntaxPreference(List<String> uids) {
        this(uids, false);
    }

    /**
     * Explicit VR Little Endian, transcoded by the server; where it cannot transcode, the instances as stored: two
     * requests instead of one, and the pixel data decoded here.
     */
    public static TransferSyntaxPreference uncompressedOrAsStored() {
        return new TransferSyntaxPreference(List.of(EXPLICIT_VR_LITTLE_ENDIAN.value()), true);
    }

    /** A copy that asks once more, for the instances as stored, when the server refuses to transcode. */
    public TransferSyntaxPreference orAsStored() {
        return new TransferSyntaxPreference(uids, true);
    }

    /** No transfer-syntax parameter: whatever the server sends by default. */
    public static TransferSyntaxPreference serverDefault() {
        return new TransferSyntaxPreference(List.of());
    }

    /** {@code transfer-syntax=*}: as stored, without transcoding. */
    public static TransferSyntaxPreference asStored() {
        return new TransferSyntaxPreference(List.of(ANY));
    }

    /** These transfer syntaxes, most preferred first. */
    public static TransferSyntaxPreference of(Uid first, Uid... more) {
        List<String> uids = new ArrayList<>();
        uids.add(Objects.requireNonNull(first, "first").value());
        for (Uid uid : more) {
            uids.add(Objects.requireNonNull(uid, "uid").value());
        }
        return new TransferSyntaxPreference(uids);
    }

    /** Whether a response part in this transfer syntax is acceptable (anything is, without a list). */
    public boolean accepts(String transferSyntaxUid) {
        return uids.isEmpty() || uids.contains(ANY) || uids.contains(transferSyntaxUid);
    }

    /** Accept header for whole instances: {@code multipart/related; type="application/dicom"}. */
    String acceptInstances() {
        if (uids.isEmpty()) {
            return String.format(Locale.ROOT, MULTIPART, MultipartRelated.DICOM);
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < uids.size(); i++) {
            values.add(String.format(Locale.ROOT, MULTIPART, MultipartRelated.DICOM) + "; transfer-syntax=" + uids.get(i)
                    + quality(i));
        }
        return String.join(", ", values);
    }

    /** Accept header for frames: each transfer syntax with the media type PS3.18 Table 8.7.3-2 pairs it with. */
    String acceptFrames() {
        if (uids.isEmpty()) {
            return String.format(Locale.ROOT, MULTIPART, OCTET_STREAM);
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < uids.size(); i++) {
            String uid = uids.get(i);
            values.add(String.format(Locale.ROOT, MULTIPART, frameMediaType(uid)) + "; transfer-syntax=" + uid + quality(i));
        }
        return String.join(", ", values);
    }

    static final String OCTET_STREAM = "application/octet-stream";

    static String frameMediaType(String transferSyntaxUid) {
        return switch (transferSyntaxUid) {
            case "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57",
                 "1.2.840.10008.1.2.4.70" -> "image/jpeg";
            case "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81" -> "image/jls";
            case "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91" -> "image/jp2";
            case "1.2.840.10008.1.2.4.92", "1.2.840.10008.1.2.4.93" -> "image/jpx";
            case "1.2.840.10008.1.2.5" -> "image/dicom-rle";
            default -> OCTET_STREAM;
        };
    }

    private static String quality(int index) {
        if (index == 0) {
            return "";
        }
        return String.format(Locale.ROOT, "; q=%.1f", Math.max(0.1, 1.0 - 0.1 * index));
    }
}
