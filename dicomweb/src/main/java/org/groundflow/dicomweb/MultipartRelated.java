package org.groundflow.dicomweb;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;

/**
 * Streams the parts of a {@code multipart/related; type="application/dicom"} body with mime4j, one part at a time:
 * memory stays around one 64 KiB buffer. No limits on part count, line length or content length (a series can
 * have thousands of instances of any size).
 */
final class MultipartRelated {

    static final String DICOM = "application/dicom";
    static final int BUFFER_SIZE = 64 * 1024;

    private static final MimeConfig UNLIMITED = MimeConfig.custom()
            .setMaxLineLen(-1)
            .setMaxHeaderLen(-1)
            .setMaxHeaderCount(-1)
            .setMaxContentLen(-1)
            .build();

    /** Receives each part's decoded body; reading it is the consumer's job. */
    @FunctionalInterface
    interface PartConsumer {
        void accept(int index, InputStream part) throws IOException;
    }

    private MultipartRelated() {
    }

    /**
     * @return the number of parts handed to the consumer
     * @throws DicomWebResponseException when the body is not multipart/related with DICOM parts
     */
    static int read(String url, String contentType, InputStream body, PartConsumer consumer) throws IOException {
        requireMultipartDicom(url, contentType);
        MimeTokenStream stream = new MimeTokenStream(UNLIMITED);
        stream.setRecursionMode(RecursionMode.M_NO_RECURSE);
        stream.parseHeadless(new BufferedInputStream(body, BUFFER_SIZE), contentType);
        int index = 0;
        String partType = null;
        try {
            for (EntityState state = stream.getState(); state != EntityState.T_END_OF_STREAM; state = stream.next()) {
                switch (state) {
                    case T_START_BODYPART -> partType = null;
                    case T_FIELD -> {
                        Field field = stream.getField();
                        if ("content-type".equalsIgnoreCase(field.getName())) {
                            partType = field.getBody();
                        }
                    }
                    case T_BODY -> {
                        requireDicomPart(url, index, partType);
                        consumer.accept(index, stream.getDecodedInputStream());
                        index++;
                    }
                    default -> {
                        // structure tokens: nothing to do
                    }
                }
            }
        } catch (MimeException e) {
            throw new DicomWebResponseException(url, "malformed multipart body after " + index + " parts: "
                    + e.getMessage(), e);
        }
        return index;
    }

    private static void requireMultipartDicom(String url, String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw new DicomWebResponseException(url, "no Content-Type; expected multipart/related; type=\"application/dicom\"");
        }
        String lower = contentType.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("multipart/related")) {
            throw new DicomWebResponseException(url, "Content-Type is " + mediaType(contentType)
                    + "; expected multipart/related; type=\"application/dicom\"");
        }
        if (!lower.contains("boundary=")) {
            throw new DicomWebResponseException(url, "multipart/related without a boundary parameter");
        }
        String type = parameter(contentType, "type");
        if (type != null && !mediaType(type).equalsIgnoreCase(DICOM)) {
            throw new DicomWebResponseException(url, "multipart/related of type " + type + "; expected " + DICOM);
        }
    }

    private static void requireDicomPart(String url, int index, String partType) {
        // A part without its own Content-Type takes the type parameter of the whole body, checked above.
        if (partType != null && !mediaType(partType).equalsIgnoreCase(DICOM)) {
            throw new DicomWebResponseException(url, "part " + (index + 1) + " has Content-Type " + mediaType(partType)
                    + "; expected " + DICOM);
        }
    }

    static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
    }

    /** A parameter of a Content-Type value, unquoted; null when absent. */
    static String parameter(String contentType, String name) {
        for (String piece : contentType.split(";")) {
            int eq = piece.indexOf('=');
            if (eq > 0 && piece.substring(0, eq).strip().equalsIgnoreCase(name)) {
                String value = piece.substring(eq + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value;
            }
        }
        return null;
    }
}
