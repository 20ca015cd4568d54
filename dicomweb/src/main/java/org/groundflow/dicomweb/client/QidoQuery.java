package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.format.DicomTags;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A QIDO-RS search (PS3.18 8.3.4): match keys, include fields, fuzzy matching and how many results to fetch.
 * Immutable; each {@code with...} returns a changed copy. Attributes are named by keyword or 8-digit hex tag and
 * checked against the DICOM dictionary; sequence matching uses dotted paths
 * ({@code RequestAttributesSequence.AccessionNumber}). The client follows {@code limit}/{@code offset} pages to the
 * end, or to {@link #withMaxResults(int)}.
 *
 * <pre>{@code
 * QidoQuery ctFromMay = QidoQuery.all()
 *         .withMatch("ModalitiesInStudy", "CT")
 *         .withDateRange("StudyDate", LocalDate.of(2024, 5, 1), LocalDate.of(2024, 5, 31))
 *         .withIncludeFields("StudyDescription");
 * }</pre>
 */
public final class QidoQuery {

    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;
    private static final Set<String> RESERVED = Set.of("limit", "offset", "includefield", "fuzzymatching");
    private static final QidoQuery ALL = new QidoQuery(Map.of(), List.of(), false, false, OptionalInt.empty(), 0);

    private final Map<String, String> matches;
    private final List<String> includeFields;
    private final boolean allFields;
    private final boolean fuzzyMatching;
    private final OptionalInt pageSize;
    private final int maxResults;

    private QidoQuery(Map<String, String> matches, List<String> includeFields, boolean allFields, boolean fuzzyMatching,
                      OptionalInt pageSize, int maxResults) {
        this.matches = matches;
        this.includeFields = includeFields;
        this.allFields = allFields;
        this.fuzzyMatching = fuzzyMatching;
        this.pageSize = pageSize;
        this.maxResults = maxResults;
    }

    /** Everything at the level searched: no match keys, the server's default fields, every page. */
    public static QidoQuery all() {
        return ALL;
    }

    /**
     * Adds (or replaces) a match key. The value follows PS3.4 C.2.2.2 matching: single value, wildcard ({@code *},
     * {@code ?}), a range with {@code -}, or a comma-separated UID list.
     *
     * @param attribute keyword, 8-digit hex tag, or a dotted path of them into sequences
     */
    public QidoQuery withMatch(String attribute, String value) {
        String key = validKey(attribute);
        Objects.requireNonNull(value, () -> "value of " + attribute);
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("value of " + attribute + " must be one line");
        }
        Map<String, String> copy = new LinkedHashMap<>(matches);
        copy.put(key, value);
        return new QidoQuery(Collections.unmodifiableMap(copy), includeFields, allFields, fuzzyMatching, pageSize, maxResults);
    }

    public QidoQuery withMatch(String attribute, Uid uid) {
        return withMatch(attribute, Objects.requireNonNull(uid, "uid").value());
    }

    /**
     * A date range on a DA attribute, inclusive; either end may be null for an open range, not both.
     */
    public QidoQuery withDateRange(String attribute, LocalDate from, LocalDate to) {
        if (from == null && to == null) {
            throw new IllegalArgumentException("date range of " + attribute + ": from and to must not both be open");
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw new IllegalArgumentException("date range of " + attribute + ": from " + from + " is after to " + to);
        }
        return withMatch(attribute, (from == null ? "" : DA.format(from)) + "-" + (to == null ? "" : DA.format(to)));
    }

    /** Attributes the results should carry beyond the server's defaults (repeated {@code includefield}). */
    public QidoQuery withIncludeFields(String... attributes) {
        Set<String> fields = new LinkedHashSet<>(includeFields);
        for (String attribute : attributes) {
            fields.add(validKey(attribute));
        }
        return new QidoQuery(matches, List.copyOf(fields), allFields, fuzzyMatching, pageSize, maxResults);
    }

    /** {@code includefield=all}: every attribute the server holds at the level searched (not every server can). */
    public QidoQuery withAllFields() {
        return new QidoQuery(matches, includeFields, true, fuzzyMatching, pageSize, maxResults);
    }

    /** {@code fuzzymatching=true}: person names match loosely (not every server can). */
    public QidoQuery withFuzzyMatching() {
        return new QidoQuery(matches, includeFields, allFields, true, pageSize, maxResults);
    }

    /** Results per request ({@code limit}); default: the server profile's page size. */
    public QidoQuery withPageSize(int size) {
        if (size < 1 || size > 10_000) {
            throw new IllegalArgumentException("pageSize must be between 1 and 10000, got " + size);
        }
        return new QidoQuery(matches, includeFields, allFields, fuzzyMatching, OptionalInt.of(size), maxResults);
    }

    /** Stop after this many results; default: fetch every page. */
    public QidoQuery withMaxResults(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("maxResults must be positive, got " + count);
        }
        return new QidoQuery(matches, includeFields, allFields, fuzzyMatching, pageSize, count);
    }

    /** Match keys as sent (keywords or tags as given), in the order added. */
    public Map<String, String> matches() {
        return matches;
    }

    public List<String> includeFields() {
        return includeFields;
    }

    public boolean allFields() {
        return allFields;
    }

    public boolean fuzzyMatching() {
        return fuzzyMatching;
    }

    public OptionalInt pageSize() {
        return pageSize;
    }

    /** 0 when every result is wanted. */
    public int maxResults() {
        return maxResults;
    }

    /** Whether a match key reaches into a sequence. */
    boolean usesSequenceMatching() {
        return matches.keySet().stream().anyMatch(key -> key.contains(".") || DicomTags.isSequence(DicomTags.tag(key)));
    }

    /** The query parameters of one page, in a stable order. */
    List<Map.Entry<String, String>> parameters(List<String> defaultIncludes, int limit, int offset) {
        List<Map.Entry<String, String>> parameters = new ArrayList<>();
        matches.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(parameters::add);
        if (fuzzyMatching) {
            parameters.add(Map.entry("fuzzymatching", "true"));
        }
        if (allFields) {
            parameters.add(Map.entry("includefield", "all"));
        } else {
            Set<String> fields = new LinkedHashSet<>(defaultIncludes);
            fields.addAll(includeFields);
            fields.forEach(field -> parameters.add(Map.entry("includefield", field)));
        }
        parameters.add(Map.entry("limit", Integer.toString(limit)));
        if (offset > 0) {
            parameters.add(Map.entry("offset", Integer.toString(offset)));
        }
        return parameters;
    }

    private static String validKey(String attribute) {
        if (attribute == null || attribute.isBlank()) {
            throw new IllegalArgumentException("attribute must be a keyword or an 8-digit hex tag, got: " + attribute);
        }
        String key = attribute.strip();
        if (RESERVED.contains(key.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("attribute " + key + " is a QIDO-RS parameter, not an attribute: use "
                    + "withPageSize, withMaxResults, withIncludeFields or withFuzzyMatching");
        }
        for (String part : key.split("\\.", -1)) {
            DicomTags.tag(part);
        }
        return key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QidoQuery q && matches.equals(q.matches) && includeFields.equals(q.includeFields)
                && allFields == q.allFields && fuzzyMatching == q.fuzzyMatching && pageSize.equals(q.pageSize)
                && maxResults == q.maxResults;
    }

    @Override
    public int hashCode() {
        return Objects.hash(matches, includeFields, allFields, fuzzyMatching, pageSize, maxResults);
    }

    /** Shows the attributes matched, never their values (they may be patient data). */
    @Override
    public String toString() {
        return "QidoQuery[matching " + matches.keySet() + ", include " + (allFields ? "all" : includeFields)
                + (fuzzyMatching ? ", fuzzy" : "") + pageSize.stream().mapToObj(s -> ", pageSize " + s).findFirst().orElse("")
                + (maxResults > 0 ? ", maxResults " + maxResults : "") + "]";
    }
}
