package io.cragent.scan.apps.node;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading JSON (and YAML turned into JSON trees) the way JavaScript code sees it. */
final class Json {
    /**
     * Lockfile keys and dependency names are unbounded data: Jackson's shared field-name symbol table would grow
     * with every package name it meets (and slow down), so field names are not canonicalized.
     */
    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build());

    private Json() {
    }

    /** Parses one JSON object; anything else is an error naming the file kind. */
    static JsonNode object(byte[] content, String fileLabel) throws LockfileException {
        JsonNode node;
        try {
            node = MAPPER.readTree(content);
        } catch (JsonProcessingException e) {
            throw new LockfileException(fileLabel + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new LockfileException(fileLabel + " cannot be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new LockfileException(fileLabel + " is not a JSON object");
        }
        return node;
    }

    /** A string field; null when absent, not a string, or empty (all falsy in JavaScript). */
    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }

    /** A {@code name → range} map; scalar values become text, nested objects are ignored. */
    static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                    map.put(e.getKey(), e.getValue().asText());
                }
            });
        }
        return map;
    }
}
