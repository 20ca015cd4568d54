package org.groundflow.workflow.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;

/**
 * The JSON text of a read's state (draft, geometry, sign-off), as the read store keeps it and as a worker hands a
 * draft to the engine: the application's Jackson mapper, one place for the failures of both directions.
 */
public final class ReadJson {

    private final ObjectMapper json;

    public ReadJson(ObjectMapper json) {
        this.json = Objects.requireNonNull(json, "json");
    }

    public String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** @param of what the text belongs to, for the message, e.g. "read 6f1c…" */
    public <T> T read(String text, Class<T> type, String of) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the " + type.getSimpleName() + " of " + of + " is not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
    }
}
