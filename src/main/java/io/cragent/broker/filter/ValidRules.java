package io.cragent.broker.filter;

import java.util.List;

/**
 * A rule's {@code valid} entries, checked as snyk checks them (broker-protocol.md §4.3), in the same order so that
 * a request which makes snyk throw is the one we refuse:
 * <ol>
 *   <li>if there are body, body-regex or query entries, one family must pass: some body entry, else some
 *       body-regex entry, else every query entry;</li>
 *   <li>then every header entry.</li>
 * </ol>
 * Body entries compare the value at the path with {@code value} (JSON equality). snyk does not: its undefsafe
 * call sets the field instead, so it accepts any truthy value there. That is the one documented quirk where we
 * differ on purpose.
 */
final class ValidRules {

    /** Thrown where snyk's matcher throws (a repeated or nested query parameter): the request is blocked. */
    static final class QueryShapeException extends RuntimeException {
        QueryShapeException(String parameter) {
            super("query parameter '" + parameter + "' is repeated or nested");
        }
    }

    private final List<ValidEntry> body;
    private final List<ValidEntry> bodyRegex;
    private final List<ValidEntry> query;
    private final List<ValidEntry> headers;

    ValidRules(List<ValidEntry> entries) {
        this.body = entries.stream().filter(ValidEntry::isBody).toList();
        this.bodyRegex = entries.stream().filter(ValidEntry::isBodyRegex).toList();
        this.query = entries.stream().filter(ValidEntry::isQuery).toList();
        this.headers = entries.stream().filter(ValidEntry::isHeader).toList();
    }

    boolean isEmpty() {
        return body.isEmpty() && bodyRegex.isEmpty() && query.isEmpty() && headers.isEmpty();
    }

    boolean test(FilterRequest request, String queryString) {
        if (!body.isEmpty() || !bodyRegex.isEmpty() || !query.isEmpty()) {
            boolean valid = body.stream().anyMatch(e -> bodyMatches(e, request.jsonBody()));
            if (!valid) {
                valid = bodyRegex.stream().anyMatch(e -> regexMatches(e, request.jsonBody()));
            }
            if (!valid && !query.isEmpty()) {
                QueryString parsed = QueryString.parse(queryString);
                valid = query.stream().allMatch(e -> queryMatches(e, parsed));
            }
            if (!valid) {
                return false;
            }
        }
        return headers.stream().allMatch(e -> headerMatches(e, request));
    }

    private static boolean bodyMatches(ValidEntry entry, Object body) {
        List<Object> found = entry.path.resolve(body);
        if (entry.value.isPresent()) {
            Object expected = entry.value.get();
            return found.stream().anyMatch(v -> JsJson.jsonEquals(v, expected));
        }
        return found.stream().anyMatch(JsJson::truthy);
    }

    private static boolean regexMatches(ValidEntry entry, Object body) {
        return entry.path.resolve(body).stream().anyMatch(v -> {
            String text = v instanceof String s ? s
                    : v instanceof JsJson.Num n ? n.text()
                    : v instanceof Boolean b ? b.toString() : null;
            return text != null && entry.regex.matcher(text).find();
        });
    }

    private static boolean queryMatches(ValidEntry entry, QueryString query) {
        Object value = query.get(entry.queryParam);
        for (Glob glob : entry.queryValues) {
            if (value == QueryString.NOT_A_STRING) {
                // minimatch answers comments and blank patterns before it looks at the value; any other throws.
                if (!glob.isCommentOrEmpty()) {
                    throw new QueryShapeException(entry.queryParam);
                }
                continue;
            }
            String text = value == null ? "" : (String) value;
            if (glob.matches(text)) {
                return true;
            }
        }
        return false;
    }

    private static boolean headerMatches(ValidEntry entry, FilterRequest request) {
        List<String> values = request.header(entry.header);
        return values.size() == 1 && !values.get(0).isEmpty() && entry.headerValues.contains(values.get(0));
    }

    static ValidRules none() {
        return new ValidRules(List.of());
    }
}
