package io.cragent.broker.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One accept rule: {@code method} (default {@code get}; {@code any} matches every method), {@code path},
 * optional {@code origin} and {@code auth} (with {@code ${VAR}} placeholders, resolved when a request matches),
 * optional {@code valid} entries, and a free-text {@code //} comment.
 *
 * @param index  position in its list (0-based): the first rule that passes wins
 * @param json   the rule as written in the accept file
 */
public record AcceptRule(int index, String method, String path, String origin, RuleAuth auth, String comment,
        JsonNode json, PathPattern pattern, ValidRules valid) {

    static AcceptRule parse(int index, JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("rule " + index + " is not an object");
        }
        String method = optionalText(node, "method");
        String path = optionalText(node, "path");
        try {
            List<ValidEntry> entries = new ArrayList<>();
            JsonNode valid = node.get("valid");
            if (valid != null && !valid.isNull()) {
                if (!valid.isArray()) {
                    throw new IllegalArgumentException("'valid' must be an array");
                }
                valid.forEach(v -> entries.add(ValidEntry.parse(v)));
            }
            return new AcceptRule(index,
                    (method == null || method.isEmpty() ? "get" : method).toLowerCase(Locale.ROOT),
                    path == null ? "" : path,
                    optionalText(node, "origin"),
                    RuleAuth.parse(node.get("auth")),
                    optionalText(node, "//"),
                    ((ObjectNode) node).deepCopy(),
                    PathPattern.compile(path),
                    new ValidRules(entries));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("rule " + index + " (" + node.path("method").asText("get") + " "
                    + path + "): " + e.getMessage(), e);
        }
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("rule field '" + field + "' must be a string: " + node);
        }
        return v.asText();
    }

    /** Method, URL normalisation, path, then {@code valid}: snyk's order (broker-protocol.md §4.2). */
    boolean matches(FilterRequest request) {
        if (!method.equals("any") && !request.method().toLowerCase(Locale.ROOT).equals(method)) {
            return false;
        }
        String url = request.url();
        if (!PosixPaths.isNormalized(url)) {
            return false;
        }
        int hash = url.indexOf('#');
        String main = hash >= 0 ? url.substring(0, hash) : url;
        int question = main.indexOf('?');
        String path = question >= 0 ? main.substring(0, question) : main;
        String query = question >= 0 ? main.substring(question + 1) : "";
        if (!pattern.matches(path)) {
            return false;
        }
        return valid.test(request, query);
    }

    @Override
    public String toString() {
        return method.toUpperCase(Locale.ROOT) + " " + path;
    }
}
