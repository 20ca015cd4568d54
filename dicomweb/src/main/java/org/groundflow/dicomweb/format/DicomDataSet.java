package org.groundflow.dicomweb.format;

import org.groundflow.dicomweb.DicomWebResponseException;
import org.groundflow.dicomweb.Uid;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One DICOM data set as DICOMweb returns it (QIDO-RS results, WADO-RS metadata, STOW-RS responses), in the DICOM JSON
 * model of PS3.18 F.2, parsed with Jackson. Attributes are named by keyword ({@code StudyDescription}) or by tag
 * ({@code 00081030}). Absent attributes, empty values and malformed values read as empty. Immutable.
 * {@link #toString()} shows tags only, never values (a data set may hold patient data).
 */
public final class DicomDataSet {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;
    private static final DicomDataSet EMPTY = new DicomDataSet(MAPPER.createObjectNode());

    private final JsonNode dataSet;

    DicomDataSet(JsonNode dataSet) {
        this.dataSet = dataSet;
    }

    /** A data set without attributes. */
    public static DicomDataSet empty() {
        return EMPTY;
    }

    /** A JSON array of data sets (QIDO-RS, metadata); an empty body is an empty list. */
    public static List<DicomDataSet> readArray(String url, InputStream body) throws IOException {
        JsonNode root = readTree(url, body);
        if (root == null || root.isMissingNode() || root.isNull()) {
            return List.of();
        }
        if (!root.isArray()) {
            throw new DicomWebResponseException(url, "expected a DICOM JSON array, got " + root.getNodeType());
        }
        List<DicomDataSet> result = new ArrayList<>(root.size());
        for (JsonNode item : root) {
            if (!item.isObject()) {
                throw new DicomWebResponseException(url, "expected DICOM JSON objects in the array, got " + item.getNodeType());
            }
            result.add(new DicomDataSet(item));
        }
        return result;
    }

    /** One data set (STOW-RS response); empty when the body is empty. */
    public static Optional<DicomDataSet> readObject(String url, InputStream body) throws IOException {
        JsonNode root = readTree(url, body);
        if (root == null || root.isMissingNode() || root.isNull()) {
            return Optional.empty();
        }
        if (!root.isObject()) {
            throw new DicomWebResponseException(url, "expected a DICOM JSON object, got " + root.getNodeType());
        }
        return Optional.of(new DicomDataSet(root));
    }

    private static JsonNode readTree(String url, InputStream body) throws IOException {
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new DicomWebResponseException(url, "malformed DICOM JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Whether the attribute is present (possibly without a value). */
    public boolean contains(String attribute) {
        return dataSet.has(DicomTags.tag(attribute));
    }

    /** The tags present, as 8 upper-case hex digits, in ascending order. */
    public Set<String> tags() {
        Set<String> tags = new TreeSet<>();
        for (Iterator<String> names = dataSet.fieldNames(); names.hasNext(); ) {
            tags.add(names.next());
        }
        return tags;
    }

    /** The value representation the server gave, e.g. {@code "UI"}. */
    public Optional<String> vr(String attribute) {
        JsonNode vr = dataSet.path(DicomTags.tag(attribute)).get("vr");
        return vr != null && vr.isTextual() ? Optional.of(vr.asText()) : Optional.empty();
    }

    /** All values of an attribute as text; person names as their alphabetic group. */
    public List<String> strings(String attribute) {
        JsonNode values = dataSet.path(DicomTags.tag(attribute)).path("Value");
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

    /** The first value as text, stripped; empty when absent or blank. */
    public Optional<String> string(String attribute) {
        List<String> values = strings(attribute);
        return values.isEmpty() || values.get(0).isBlank() ? Optional.empty() : Optional.of(values.get(0).strip());
    }

    /** The first value as an integer (IS, US, SS, UL, SL; a decimal value is truncated). */
    public OptionalInt integer(String attribute) {
        OptionalDouble value = decimal(attribute);
        return value.isPresent() ? OptionalInt.of((int) value.getAsDouble()) : OptionalInt.empty();
    }

    /** The first value as a number (DS, FL, FD, IS, US ...). */
    public OptionalDouble decimal(String attribute) {
        Optional<String> text = string(attribute);
        if (text.isEmpty()) {
            return OptionalDouble.empty();
        }
        try {
            return OptionalDouble.of(Double.parseDouble(text.get()));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    public Optional<Uid> uid(String attribute) {
        try {
            return string(attribute).map(Uid::of);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A DA value ({@code YYYYMMDD}). */
    public Optional<LocalDate> date(String attribute) {
        try {
            return string(attribute).map(text -> LocalDate.parse(text, DA));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** A TM value ({@code HH}, {@code HHMM}, {@code HHMMSS} or {@code HHMMSS.FFFFFF}). */
    public Optional<LocalTime> time(String attribute) {
        Optional<String> text = string(attribute);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String tm = text.get();
        try {
            int hour = Integer.parseInt(tm.substring(0, 2));
            int minute = tm.length() >= 4 ? Integer.parseInt(tm.substring(2, 4)) : 0;
            int second = tm.length() >= 6 ? Integer.parseInt(tm.substring(4, 6)) : 0;
            int nanos = 0;
            if (tm.length() > 7 && tm.charAt(6) == '.') {
                String fraction = (tm.substring(7) + "000000000").substring(0, 9);
                nanos = Integer.parseInt(fraction);
            }
            return Optional.of(LocalTime.of(hour, minute, second, nanos));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The items of a sequence; empty when absent. */
    public List<DicomDataSet> sequence(String attribute) {
        List<DicomDataSet> items = new ArrayList<>();
        for (JsonNode item : dataSet.path(DicomTags.tag(attribute)).path("Value")) {
            if (item.isObject()) {
                items.add(new DicomDataSet(item));
            }
        }
        return items;
    }

    /** Where a bulk data value (such as PixelData in metadata) can be retrieved. */
    public Optional<String> bulkDataUri(String attribute) {
        JsonNode uri = dataSet.path(DicomTags.tag(attribute)).get("BulkDataURI");
        return uri != null && uri.isTextual() ? Optional.of(uri.asText()) : Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DicomDataSet other && dataSet.equals(other.dataSet);
    }

    @Override
    public int hashCode() {
        return dataSet.hashCode();
    }

    @Override
    public String toString() {
        return "DicomDataSet" + tags();
    }
}
