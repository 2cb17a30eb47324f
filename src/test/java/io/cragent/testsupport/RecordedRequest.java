package io.cragent.testsupport;

import com.sun.net.httpserver.HttpExchange;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One request as seen by a fake server. Only the scheme of an Authorization header is kept
 * ("Basic", "Bearer"), never the credential, so recordings are safe to print in assertion messages.
 */
public record RecordedRequest(Instant at, String method, String pathAndQuery, boolean hadAuthorization,
        String authScheme, String range) {

    static RecordedRequest of(HttpExchange exchange) {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        String scheme = null;
        if (auth != null) {
            String trimmed = auth.trim();
            int space = trimmed.indexOf(' ');
            scheme = space > 0 ? trimmed.substring(0, space) : trimmed;
        }
        URI uri = exchange.getRequestURI();
        String raw = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new RecordedRequest(Instant.now(), exchange.getRequestMethod(), raw, auth != null, scheme,
                exchange.getRequestHeaders().getFirst("Range"));
    }

    /** The decoded path, without the query. */
    public String path() {
        int q = pathAndQuery.indexOf('?');
        return URLDecoder.decode(q < 0 ? pathAndQuery : pathAndQuery.substring(0, q), StandardCharsets.UTF_8);
    }

    /** All decoded values of one query parameter, in order (e.g. every {@code scope}). */
    public List<String> queryParams(String name) {
        return queryParams(pathAndQuery, name);
    }

    public String queryParam(String name) {
        List<String> values = queryParams(name);
        return values.isEmpty() ? null : values.get(0);
    }

    public boolean isAuthScheme(String expected) {
        return authScheme != null && authScheme.toLowerCase(Locale.ROOT).equals(expected.toLowerCase(Locale.ROOT));
    }

    static List<String> queryParams(String pathAndQuery, String name) {
        List<String> values = new ArrayList<>();
        int q = pathAndQuery.indexOf('?');
        if (q < 0) {
            return values;
        }
        for (String pair : pathAndQuery.substring(q + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                values.add(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }
}
