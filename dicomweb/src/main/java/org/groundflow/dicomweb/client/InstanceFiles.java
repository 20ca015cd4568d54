package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.DicomWebException;
import org.groundflow.dicomweb.format.MultipartRelated;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes streamed instances into one file each ({@code <prefix>_<nnnnn>.dcm}), 64 KiB at a time, and removes what it
 * wrote when the retrieval fails. A disk failure is reported as such, never as a network failure.
 */
final class InstanceFiles implements DicomWebClient.InstanceConsumer {

    private static final Logger log = LoggerFactory.getLogger(InstanceFiles.class);

    private final Path directory;
    private final String prefix;
    private final List<Path> written = new ArrayList<>();
    private final byte[] buffer = new byte[MultipartRelated.BUFFER_SIZE];

    private InstanceFiles(Path directory, String prefix) {
        this.directory = directory;
        this.prefix = prefix;
    }

    /** Creates the directory if needed. */
    static InstanceFiles in(Path directory, String prefix) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new DicomWebException("cannot create directory " + directory + ": " + e.getMessage(), e);
        }
        return new InstanceFiles(directory, prefix);
    }

    @Override
    public void accept(int index, InputStream dicom) throws IOException {
        Path file = directory.resolve(String.format(Locale.ROOT, "%s_%05d.dcm", prefix, index + 1));
        written.add(file);
        copy(dicom, file, buffer);
    }

    /** The files written, in the order of the response. */
    List<Path> files() {
        return List.copyOf(written);
    }

    /** The file of the instance at this 0-based position in the response. */
    Path file(int index) {
        return written.get(index);
    }

    void deleteAll() {
        deleteQuietly(written);
    }

    /**
     * Copies a network stream into a file. An IOException from {@code in} propagates (a transport failure); a failure
     * to write or close the file is a {@link DicomWebException} (a local failure, whatever the network did).
     */
    static void copy(InputStream in, Path file, byte[] buffer) throws IOException {
        OutputStream out = openForWrite(file);
        boolean copied = false;
        try {
            int n;
            while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                write(out, buffer, n, file);
            }
            copied = true;
        } catch (LocalWriteFailure e) {
            throw new DicomWebException("cannot write " + file + ": " + e.getCause().getMessage(), e.getCause());
        } finally {
            try {
                out.close();
            } catch (IOException e) {
                if (copied) {
                    throw new DicomWebException("cannot write " + file + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private static OutputStream openForWrite(Path file) {
        try {
            return Files.newOutputStream(file);
        } catch (IOException e) {
            throw new DicomWebException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(OutputStream out, byte[] buffer, int n, Path file) {
        try {
            out.write(buffer, 0, n);
        } catch (IOException e) {
            throw new LocalWriteFailure(e);
        }
    }

    /** A disk failure while copying: must not be mistaken for a network failure. */
    private static final class LocalWriteFailure extends RuntimeException {
        LocalWriteFailure(IOException cause) {
            super(cause);
        }
    }

    private static void deleteQuietly(List<Path> files) {
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn("Could not delete partial file {}: {}", file, e.getMessage());
            }
        }
    }
}
