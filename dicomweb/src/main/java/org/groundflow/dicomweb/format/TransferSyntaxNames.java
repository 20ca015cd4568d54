package org.groundflow.dicomweb.format;

/** Names of transfer syntaxes for error messages. */
public final class TransferSyntaxNames {

    private TransferSyntaxNames() {
    }

    /** {@code " (JPEG 2000, 1.2.840.10008.1.2.4.91)"}, or empty when unknown. */
    public static String describe(String uid) {
        if (uid == null || uid.isEmpty()) {
            return "";
        }
        String name = switch (uid) {
            case "1.2.840.10008.1.2" -> "Implicit VR Little Endian";
            case "1.2.840.10008.1.2.1" -> "Explicit VR Little Endian";
            case "1.2.840.10008.1.2.1.99" -> "Deflated Explicit VR Little Endian";
            case "1.2.840.10008.1.2.2" -> "Explicit VR Big Endian";
            case "1.2.840.10008.1.2.4.50" -> "JPEG baseline";
            case "1.2.840.10008.1.2.4.51" -> "JPEG extended";
            case "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70" -> "JPEG lossless";
            case "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81" -> "JPEG-LS";
            case "1.2.840.10008.1.2.4.90" -> "JPEG 2000 lossless";
            case "1.2.840.10008.1.2.4.91" -> "JPEG 2000";
            case "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203" -> "HTJ2K";
            case "1.2.840.10008.1.2.5" -> "RLE lossless";
            default -> "transfer syntax";
        };
        return " (" + name + ", " + uid + ")";
    }
}
