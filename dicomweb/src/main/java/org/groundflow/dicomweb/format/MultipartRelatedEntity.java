package org.groundflow.dicomweb.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;
import org.apache.hc.core5.http.message.BasicNameValuePair;

/**
 * A STOW-RS request body, {@code multipart/related; type="application/dicom"}, streamed from files with a known
 * length (so no chunked encoding) and 64 KiB copies. Repeatable: the files are read again on each write.
 */
public final class MultipartRelatedEntity extends AbstractHttpEntity {

    private static final byte[] CRLF = "\r\n".getBytes(StandardCharsets.US_ASCII);

    private final List<Path> files;
    private final byte[] partHeader;
    private final byte[] closing;
    private final long length;

    private MultipartRelatedEntity(List<Path> files, String boundary, long length) {
        super(ContentType.create("multipart/related",
                new BasicNameValuePair("type", MultipartRelated.DICOM),
                new BasicNameValuePair("boundary", boundary)), null, false);
        this.files = List.copyOf(files);
        this.partHeader = ("--" + boundary + "\r\nContent-Type: " + MultipartRelated.DICOM + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        this.closing = ("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        this.length = length;
    }

    public static MultipartRelatedEntity of(List<Path> files) throws IOException {
        String boundary = "groundflow-" + UUID.randomUUID();
        long overhead = ("--" + boundary + "\r\nContent-Type: " + MultipartRelated.DICOM + "\r\n\r\n").length() + 2L;
        long length = ("--" + boundary + "--\r\n").length();
        for (Path file : files) {
            length += overhead + Files.size(file);
        }
        return new MultipartRelatedEntity(files, boundary, length);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        byte[] buffer = new byte[MultipartRelated.BUFFER_SIZE];
        for (Path file : files) {
            out.write(partHeader);
            try (InputStream in = Files.newInputStream(file)) {
                int n;
                while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                    out.write(buffer, 0, n);
                }
            }
            out.write(CRLF);
        }
        out.write(closing);
        out.flush();
    }

    @Override
    public InputStream getContent() {
        throw new UnsupportedOperationException("a streamed STOW-RS body is written with writeTo, not read");
    }

    @Override
    public long getContentLength() {
        return length;
    }

    @Override
    public boolean isRepeatable() {
        return true;
    }

    @Override
    public boolean isStreaming() {
        return false;
    }

    @Override
    public void close() {
        // nothing held open between writes
    }
}
