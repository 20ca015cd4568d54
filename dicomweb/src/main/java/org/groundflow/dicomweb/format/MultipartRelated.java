package org.groundflow.dicomweb.format;

import org.groundflow.dicomweb.DicomWebResponseException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.MimeIOException;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.RawBody;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.stream.RawFieldParser;
import org.apache.james.mime4j.stream.RecursionMode;

/**
 * Streams the parts of a {@code multipart/related} body with mime4j, one part at a time: memory stays around one
 * 64 KiB buffer. No limits on part count, line length or content length (a series can have thousands of instances
 * of any size). Strict: a body that ends without its closing boundary is a truncated response, not a short one.
 */
public final class MultipartRelated {

    public static final String DICOM = "application/dicom";
    public static final int BUFFER_SIZE = 64 * 1024;

    private static final MimeConfig STRICT_UNLIMITED = MimeConfig.custom()
            .setMaxLineLen(-1)
            .setMaxHeaderLen(-1)
            .setMaxHeaderCount(-1)
            .setMaxContentLen(-1)
            .setStrictParsing(true)
            .build();

    /** Receives each part's decoded body; reading it is the consumer's job. */
    @FunctionalInterface
    public interface PartConsumer {
        /**
         * @param contentType the part's Content-Type, or the {@code type} parameter of the whole body when the part
         *                    has none
         */
        void accept(int index, String contentType, InputStream part) throws IOException;
    }

    private MultipartRelated() {
    }

    /**
     * @param partType the media type every part must have ({@code application/dicom}), or null to allow any
     * @return the number of parts handed to the consumer
     * @throws DicomWebResponseException when the body is not multipart/related, a part has the wrong type, or the
     *                                   body is truncated or malformed
     */
    public static int read(String url, String contentType, InputStream body, String partType, PartConsumer consumer)
            throws IOException {
        String rootType = requireMultipart(url, contentType, partType);
        MimeTokenStream stream = new MimeTokenStream(STRICT_UNLIMITED);
        stream.setRecursionMode(RecursionMode.M_NO_RECURSE);
        stream.parseHeadless(new BufferedInputStream(body, BUFFER_SIZE), contentType);
        int index = 0;
        String currentType = null;
        try {
            for (EntityState state = stream.getState(); state != EntityState.T_END_OF_STREAM; state = stream.next()) {
                switch (state) {
                    case T_START_BODYPART -> currentType = null;
                    case T_FIELD -> {
                        Field field = stream.getField();
                        if ("content-type".equalsIgnoreCase(field.getName())) {
                            currentType = field.getBody().strip();
                        }
                    }
                    case T_BODY -> {
                        String type = currentType != null ? currentType : rootType;
                        requirePartType(url, index, type, partType);
                        consumer.accept(index, type, stream.getDecodedInputStream());
                        index++;
                    }
                    default -> {
                        // structure tokens: nothing to do
                    }
                }
            }
        } catch (MimeIOException e) {
            throw new DicomWebResponseException(url, "truncated multipart body: it ended after " + index
                    + " complete parts without the closing boundary (" + e.getMessage() + ")", e);
        } catch (MimeException e) {
            throw new DicomWebResponseException(url, "malformed multipart body after " + index + " parts: "
                    + e.getMessage(), e);
        }
        return index;
    }

    /** @return the {@code type} parameter, or null */
    private static String requireMultipart(String url, String contentType, String partType) {
        String expected = "multipart/related" + (partType == null ? "" : "; type=\"" + partType + "\"");
        if (contentType == null || contentType.isBlank()) {
            throw new DicomWebResponseException(url, "no Content-Type; expected " + expected);
        }
        if (!mediaType(contentType).equalsIgnoreCase("multipart/related")) {
            throw new DicomWebResponseException(url, "Content-Type is " + mediaType(contentType) + "; expected " + expected);
        }
        if (parameter(contentType, "boundary") == null) {
            throw new DicomWebResponseException(url, "multipart/related without a boundary parameter");
        }
        String type = parameter(contentType, "type");
        if (type != null && partType != null && !mediaType(type).equalsIgnoreCase(partType)) {
            throw new DicomWebResponseException(url, "multipart/related of type " + type + "; expected " + partType);
        }
        return type;
    }

    private static void requirePartType(String url, int index, String type, String partType) {
        if (type == null || partType == null) {
            return;
        }
        if (!mediaType(type).equalsIgnoreCase(partType)) {
            throw new DicomWebResponseException(url, "part " + (index + 1) + " has Content-Type " + mediaType(type)
                    + "; expected " + partType);
        }
    }

    /** The media type of a Content-Type value, without parameters, lower case. */
    public static String mediaType(String contentType) {
        RawBody body = RawFieldParser.DEFAULT.parseRawBody(new RawField("Content-Type", contentType));
        return body.getValue() == null ? "" : body.getValue().strip().toLowerCase(Locale.ROOT);
    }

    /** A parameter of a Content-Type value (quoted values may hold ';'), unquoted; null when absent. */
    public static String parameter(String contentType, String name) {
        RawBody body = RawFieldParser.DEFAULT.parseRawBody(new RawField("Content-Type", contentType));
        for (NameValuePair pair : body.getParams()) {
            if (pair.getName().equalsIgnoreCase(name)) {
                return pair.getValue();
            }
        }
        return null;
    }
}
