package org.groundflow.dicomweb.client;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** Turns match keys given as a map (configuration, REST parameters) into a {@link QidoQuery}. */
final class QueryParameters {

    private QueryParameters() {
    }

    /**
     * @throws IllegalArgumentException naming the key when it is neither an attribute nor a known QIDO parameter
     */
    static QidoQuery toQuery(Map<String, String> matchKeys) {
        Objects.requireNonNull(matchKeys, "matchKeys");
        QidoQuery query = QidoQuery.all();
        for (Map.Entry<String, String> entry : new TreeMap<>(matchKeys).entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue();
            if (value == null) {
                throw new IllegalArgumentException("matchKeys: the value of " + key + " must not be null");
            }
            try {
                query = switch (key.toLowerCase(Locale.ROOT)) {
                    case "limit" -> query.withMaxResults(Integer.parseInt(value.strip()));
                    case "fuzzymatching" -> Boolean.parseBoolean(value.strip()) ? query.withFuzzyMatching() : query;
                    case "includefield" -> value.strip().equalsIgnoreCase("all") ? query.withAllFields()
                            : query.withIncludeFields(value.split(","));
                    case "offset" -> throw new IllegalArgumentException("offset is managed by the client (it pages)");
                    default -> query.withMatch(key, value);
                };
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("matchKeys: " + key + ": " + e.getMessage(), e);
            }
        }
        return query;
    }
}
