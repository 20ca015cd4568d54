package org.groundflow.workflow;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import org.groundflow.dicomweb.Uid;

/**
 * The irreducible HTTP work of a read with a plain HTTP client ({@link HttpURLConnection}, no Groundflow code): the
 * WADO-RS download of a series into one file (as {@code curl -o}), one STOW-RS request of DICOM files, one FHIR
 * transaction of a bundle already serialised. Each call fails unless the server answers 200.
 */
final class BareParts {

    private final String dicomWebUrl;
    private final String fhirBaseUrl;

    BareParts(String dicomWebUrl, String fhirBaseUrl) {
        this.dicomWebUrl = dicomWebUrl;
        this.fhirBaseUrl = fhirBaseUrl;
    }

    /** WADO-RS of the whole series, its multipart answer streamed into {@code target}; the bytes received. */
    long download(Uid study, Uid series, Path target) throws IOException {
        HttpURLConnection c = open(dicomWebUrl + "/studies/" + study + "/series/" + series);
        c.setRequestProperty("Accept", "multipart/related; type=\"application/dicom\"");
        require(c, "WADO-RS of series " + series);
        try (InputStream in = c.getInputStream()) {
            return Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** STOW-RS of the files in one multipart request; the answer is read whole. */
    void store(List<Path> files) throws IOException {
        String boundary = "bare-" + UUID.randomUUID();
        HttpURLConnection c = open(dicomWebUrl + "/studies");
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setChunkedStreamingMode(64 * 1024);
        c.setRequestProperty("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary);
        c.setRequestProperty("Accept", "application/dicom+json");
        try (OutputStream out = c.getOutputStream()) {
            for (Path file : files) {
                out.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                Files.copy(file, out);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        require(c, "STOW-RS of " + files.size() + " files");
        try (InputStream in = c.getInputStream()) {
            in.readAllBytes();
        }
    }

    /** One FHIR transaction: the bundle POSTed to the base URL, the answer read whole. */
    void transaction(byte[] bundle) throws IOException {
        HttpURLConnection c = open(fhirBaseUrl);
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(bundle.length);
        c.setRequestProperty("Content-Type", "application/fhir+json");
        c.setRequestProperty("Accept", "application/fhir+json");
        try (OutputStream out = c.getOutputStream()) {
            out.write(bundle);
        }
        require(c, "FHIR transaction");
        try (InputStream in = c.getInputStream()) {
            in.readAllBytes();
        }
    }

    private static HttpURLConnection open(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(120_000);
        return c;
    }

    private static void require(HttpURLConnection c, String what) throws IOException {
        int status = c.getResponseCode();
        if (status != 200) {
            InputStream error = c.getErrorStream();
            String body = error == null ? "" : new String(error.readAllBytes(), StandardCharsets.UTF_8);
            throw new IOException(what + " answered " + status + ": " + body);
        }
    }
}
