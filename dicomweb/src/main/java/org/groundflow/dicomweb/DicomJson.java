package org.groundflow.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Read access to one DICOM JSON data set (PS3.18 F.2): {@code {"0020000D": {"vr": "UI", "Value": ["1.2.3"]}}}.
 * Absent attributes, empty values and malformed values all read as empty.
 */
final class DicomJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    private final JsonNode dataSet;

    private DicomJson(JsonNode dataSet) {
        this.dataSet = dataSet;
    }

    /** A JSON array of data sets (QIDO-RS); an empty body is an empty list. */
    static List<DicomJson> readArray(String url, InputStream body) throws IOException {
        JsonNode root = readTree(url, body);
        if (root == null || root.isMissingNode() || root.isNull()) {
            return List.of();
        }
        if (!root.isArray()) {
            throw new DicomWebResponseException(url, "expected a DICOM JSON array, got " + root.getNodeType());
        }
        List<DicomJson> result = new ArrayList<>(root.size());
        for (JsonNode item : root) {
            if (!item.isObject()) {
                throw new DicomWebResponseException(url, "expected DICOM JSON objects in the array, got " + item.getNodeType());
            }
            result.add(new DicomJson(item));
        }
        return result;
    }

    /** One data set (STOW-RS response); empty when the body is empty. */
    static Optional<DicomJson> readObject(String url, InputStream body) throws IOException {
        JsonNode root = readTree(url, body);
        if (root == null || root.isMissingNode() || root.isNull()) {
            return Optional.empty();
        }
        if (!root.isObject()) {
            throw new DicomWebResponseException(url, "expected a DICOM JSON object, got " + root.getNodeType());
        }
        return Optional.of(new DicomJson(root));
    }

    private static JsonNode readTree(String url, InputStream body) throws IOException {
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new DicomWebResponseException(url, "malformed DICOM JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** All values of an attribute as text; person names as their alphabetic group. */
    List<String> strings(String tag) {
        JsonNode values = dataSet.path(tag).path("Value");
        List<String> result = new ArrayList<>();
        for (JsonNode value : values) {
            if (value.isObject()) {
                JsonNode alphabetic = value.get("Alphabetic");
                if (alphabetic != null && alphabetic.isTextual()) {
                    result.add(alphabetic.asText());
                }
            } else if (value.isValueNode() && !value.isNull()) {
                result.add(value.asText());
            }
        }
        return result;
    }

    Optional<String> string(String tag) {
        List<String> values = strings(tag);
        return values.isEmpty() || values.get(0).isBlank() ? Optional.empty() : Optional.of(values.get(0).strip());
    }

    OptionalInt integer(String tag) {
        Optional<String> text = string(tag);
        if (text.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of((int) Double.parseDouble(text.get()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    Optional<Uid> uid(String tag) {
        try {
            return string(tag).map(Uid::of);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    Optional<LocalDate> date(String tag) {
        try {
            return string(tag).map(text -> LocalDate.parse(text, DA));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    List<DicomJson> sequence(String tag) {
        List<DicomJson> items = new ArrayList<>();
        for (JsonNode item : dataSet.path(tag).path("Value")) {
            if (item.isObject()) {
                items.add(new DicomJson(item));
            }
        }
        return items;
    }
}
