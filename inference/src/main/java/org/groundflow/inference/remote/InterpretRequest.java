package org.groundflow.inference.remote;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.Uid;

/**
 * The body of {@code POST /v1/interpret} for a volume sent as slices (CONTRACT.md, "Request"): series UIDs, the
 * shared slice grid, then per slice its SOP Instance UID, position and values as little-endian float32, base64.
 * No patient data travels: only UIDs, geometry and pixel values.
 */
final class InterpretRequest {

    static final String ENCODING = "float32-le-base64";
    private static final JsonFactory JSON = new JsonFactory();

    private InterpretRequest() {
    }

    static byte[] write(ImageVolume volume, String prompt, String requestId) {
        int perSlice = volume.voxelsPerSlice();
        ByteArrayOutputStream out = new ByteArrayOutputStream(volume.slices() * (perSlice * 4 * 4 / 3 + 200) + 1024);
        ByteBuffer slice = ByteBuffer.allocate(perSlice * 4).order(ByteOrder.LITTLE_ENDIAN);
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("requestId", requestId);
            json.writeObjectFieldStart("task");
            json.writeStringField("prompt", prompt);
            json.writeEndObject();
            json.writeStringField("modality", volume.modality() == null ? "" : volume.modality());
            json.writeObjectFieldStart("series");
            json.writeStringField("studyInstanceUid", volume.studyInstanceUid().value());
            json.writeStringField("seriesInstanceUid", volume.seriesInstanceUid().value());
            if (volume.frameOfReferenceUid() != null) {
                json.writeStringField("frameOfReferenceUid", volume.frameOfReferenceUid().value());
            }
            json.writeObjectFieldStart("slices");
            json.writeNumberField("rows", volume.rows());
            json.writeNumberField("columns", volume.columns());
            numbers(json, "pixelSpacing", volume.rowSpacing(), volume.columnSpacing());
            json.writeNumberField("sliceSpacing", volume.sliceSpacing());
            double[] r = volume.rowDirection();
            double[] c = volume.columnDirection();
            numbers(json, "orientation", r[0], r[1], r[2], c[0], c[1], c[2]);
            json.writeStringField("units", "CT".equalsIgnoreCase(volume.modality()) ? "HU" : "rescaled");
            json.writeStringField("encoding", ENCODING);
            json.writeArrayFieldStart("instances");
            float[] voxels = volume.voxels();
            for (int z = 0; z < volume.slices(); z++) {
                Uid sop = volume.sopInstanceUids().get(z);
                double[] p = volume.slicePositions().get(z);
                json.writeStartObject();
                json.writeStringField("sopInstanceUid", sop.value());
                numbers(json, "position", p[0], p[1], p[2]);
                slice.clear();
                slice.asFloatBuffer().put(voxels, z * perSlice, perSlice);
                json.writeFieldName("data");
                json.writeBinary(slice.array());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return out.toByteArray();
    }

    private static void numbers(JsonGenerator json, String field, double... values) throws IOException {
        json.writeArrayFieldStart(field);
        for (double v : values) {
            json.writeNumber(v);
        }
        json.writeEndArray();
    }
}
