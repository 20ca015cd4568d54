package org.groundflow.dicomweb.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Copies of DICOM files in a compressed transfer syntax, made with Debian's dcmtk and GDCM command-line tools
 * (deploy/setup.sh installs both). A missing tool fails the test naming the package; such tests are never skipped.
 */
public final class CompressedCopies {

    /** An encoding, the tool that makes it and the transfer syntax the copies end in. */
    public enum Encoding {
        JPEG_2000_LOSSLESS("1.2.840.10008.1.2.4.90", true, "gdcmconv", "--j2k"),
        JPEG_2000_LOSSY("1.2.840.10008.1.2.4.91", false, "gdcmconv", "--j2k", "--lossy", "-q", "80"),
        JPEG_LS_LOSSLESS("1.2.840.10008.1.2.4.80", true, "dcmcjpls", "--encode-lossless"),
        JPEG_LOSSLESS_SV1("1.2.840.10008.1.2.4.70", true, "dcmcjpeg", "--encode-lossless-sv1"),
        RLE_LOSSLESS("1.2.840.10008.1.2.5", true, "dcmcrle"),
        DEFLATED("1.2.840.10008.1.2.1.99", true, "dcmconv", "--write-xfer-deflated");

        private final String transferSyntaxUid;
        private final boolean lossless;
        private final List<String> command;

        Encoding(String transferSyntaxUid, boolean lossless, String... command) {
            this.transferSyntaxUid = transferSyntaxUid;
            this.lossless = lossless;
            this.command = List.of(command);
        }

        public String transferSyntaxUid() {
            return transferSyntaxUid;
        }

        public boolean lossless() {
            return lossless;
        }
    }

    private CompressedCopies() {
    }

    /** Each file compressed into {@code directory}, under its own name, in the order given. */
    public static List<Path> of(List<Path> files, Encoding encoding, Path directory) {
        List<Path> copies = new ArrayList<>(files.size());
        try {
            Files.createDirectories(directory);
            for (Path file : files) {
                Path copy = directory.resolve(file.getFileName());
                List<String> command = new ArrayList<>(encoding.command);
                command.add(file.toString());
                command.add(copy.toString());
                run(command, encoding);
                copies.add(copy);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copies;
    }

    private static void run(List<String> command, Encoding encoding) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail(command.get(0) + " is missing: run deploy/setup.sh (it installs dcmtk and libgdcm-tools): " + e.getMessage());
            return;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                fail(String.join(" ", command) + " failed making " + encoding + ": " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
