package org.groundflow.dicomweb.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

/** Scripted DICOMweb responses for WireMock tests. */
final class HttpStubs {

    static final String BOUNDARY = "0f1e2d3c";

    private HttpStubs() {
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/dicom+json").withBody(body);
    }

    /** A multipart/related body of parts of one type, closed properly. */
    static ResponseDefinitionBuilder multipart(String partType, byte[]... parts) {
        return aResponse().withStatus(200)
                .withHeader("Content-Type", "multipart/related; type=\"" + partType + "\"; boundary=" + BOUNDARY)
                .withBody(multipartBody(partType, true, parts));
    }

    static byte[] multipartBody(String partType, boolean closed, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            body.writeBytes(("--" + BOUNDARY + "\r\nContent-Type: " + partType + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(part);
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        if (closed) {
            body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        return body.toByteArray();
    }

    /** A QIDO-RS result array of studies with these UIDs. */
    static String studies(String... uids) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < uids.length; i++) {
            json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"%s\"]},\"00080020\":{\"vr\":\"DA\",\"Value\":[\"20240611\"]}}",
                    uids[i]));
        }
        return json.append("]").toString();
    }

    static String[] studyUids(int from, int count) {
        String[] uids = new String[count];
        for (int i = 0; i < count; i++) {
            uids[i] = "2.25." + (1000 + from + i);
        }
        return uids;
    }
}
