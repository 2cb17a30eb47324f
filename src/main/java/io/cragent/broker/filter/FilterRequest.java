package io.cragent.broker.filter;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A request to check against accept rules: method, the raw URL (path and query exactly as received, still
 * percent-encoded), headers (lower-case names; several values for a repeated header) and the body bytes, which
 * are parsed as JSON only if a {@code valid} rule needs them.
 */
public final class FilterRequest {

    private final String method;
    private final String url;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private Optional<Object> parsedBody;

    public FilterRequest(String method, String url, Map<String, List<String>> headers, byte[] body) {
        this.method = Objects.requireNonNull(method, "method");
        this.url = Objects.requireNonNull(url, "url");
        this.headers = headers == null ? Map.of() : headers;
        this.body = body;
    }

    public static FilterRequest of(String method, String url) {
        return new FilterRequest(method, url, Map.of(), null);
    }

    public String method() {
        return method;
    }

    public String url() {
        return url;
    }

    public Map<String, List<String>> headers() {
        return headers;
    }

    public byte[] body() {
        return body;
    }

    /** The values of a header, looked up case-insensitively; empty when absent. */
    public List<String> header(String name) {
        List<String> exact = headers.get(name);
        if (exact != null) {
            return exact;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(lower)) {
                return e.getValue();
            }
        }
        return List.of();
    }

    /** The body as snyk's tryJsonParse sees it: parsed JSON, or an empty object when absent, invalid or falsy. */
    synchronized Object jsonBody() {
        if (parsedBody == null) {
            parsedBody = JsJson.parse(body);
        }
        Object value = parsedBody.orElse(null);
        return value == null || !JsJson.truthy(value) ? new java.util.LinkedHashMap<String, Object>() : value;
    }
}
