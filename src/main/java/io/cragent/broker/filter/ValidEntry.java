package io.cragent.broker.filter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One {@code valid[]} entry of a rule. It belongs to each family its fields select, as in snyk:
 * body ({@code path} without {@code regex}), body-regex ({@code path} + {@code regex}), query
 * ({@code queryParam} + {@code values}), header ({@code header} + {@code values}).
 */
final class ValidEntry {

    final BodyPath path;
    final Optional<Object> value;
    final Pattern regex;
    final String queryParam;
    final List<Glob> queryValues;
    final String header;
    final List<String> headerValues;

    private ValidEntry(BodyPath path, Optional<Object> value, Pattern regex, String queryParam, List<Glob> queryValues,
            String header, List<String> headerValues) {
        this.path = path;
        this.value = value;
        this.regex = regex;
        this.queryParam = queryParam;
        this.queryValues = queryValues;
        this.header = header;
        this.headerValues = headerValues;
    }

    static ValidEntry parse(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("a valid entry must be an object: " + node);
        }
        String path = text(node, "path");
        String regex = text(node, "regex");
        String queryParam = text(node, "queryParam");
        String header = text(node, "header");
        Optional<Object> value = node.has("value")
                ? Optional.of(JsJson.parse(node.get("value").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .orElseThrow())
                : Optional.empty();
        List<String> values = new ArrayList<>();
        if ((queryParam != null || header != null)) {
            JsonNode list = node.get("values");
            if (list == null || !list.isArray()) {
                throw new IllegalArgumentException("valid entry " + node + ": 'values' must be an array of strings");
            }
            for (JsonNode v : list) {
                if (!v.isTextual()) {
                    throw new IllegalArgumentException("valid entry " + node + ": 'values' must be an array of strings");
                }
                values.add(v.asText());
            }
        }
        if (path == null && queryParam == null && header == null) {
            throw new IllegalArgumentException("valid entry " + node + " has no path, queryParam or header");
        }
        return new ValidEntry(
                path == null ? null : BodyPath.of(path),
                value.map(v -> v == JsJson.NULL ? null : v),
                path != null && regex != null ? JsRegex.compile(regex) : null,
                queryParam,
                queryParam == null ? List.of() : values.stream().map(Glob::compile).toList(),
                header,
                header == null ? List.of() : List.copyOf(values));
    }

    /** A non-empty string field, else null (snyk tests these fields for truthiness). */
    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("valid entry " + node + ": '" + field + "' must be a string");
        }
        return v.asText();
    }

    boolean isBody() {
        return path != null && regex == null;
    }

    boolean isBodyRegex() {
        return path != null && regex != null;
    }

    boolean isQuery() {
        return queryParam != null;
    }

    boolean isHeader() {
        return header != null;
    }
}
