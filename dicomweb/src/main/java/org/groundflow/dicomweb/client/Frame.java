package org.groundflow.dicomweb.client;

import java.util.Objects;

/**
 * One frame of an instance as WADO-RS returns it: the pixel data of that frame alone, uncompressed (little endian,
 * {@code application/octet-stream}) or in a compressed bitstream ({@code image/jpeg}, {@code image/jp2}, ...).
 * Equality compares the bytes' identity, not their content.
 *
 * @param number            1-based frame number
 * @param mediaType         the part's media type, lower case
 * @param transferSyntaxUid the part's {@code transfer-syntax} parameter; empty when the server gave none
 */
public record Frame(int number, String mediaType, String transferSyntaxUid, byte[] data) {

    public Frame {
        if (number < 1) {
            throw new IllegalArgumentException("frame number must be positive, got " + number);
        }
        Objects.requireNonNull(mediaType, "mediaType");
        transferSyntaxUid = transferSyntaxUid == null ? "" : transferSyntaxUid;
        Objects.requireNonNull(data, "data");
    }

    @Override
    public String toString() {
        return "Frame[" + number + ", " + mediaType + (transferSyntaxUid.isEmpty() ? "" : ", " + transferSyntaxUid)
                + ", " + data.length + " bytes]";
    }
}
