package io.cragent.broker.substitution;

import io.cragent.broker.filter.BodyPath;
import io.cragent.broker.filter.JsJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Variable substitution in a downstream request (broker-protocol.md §5.2), body first, then headers:
 * <ul>
 *   <li>a JSON body with {@code "BROKER_VAR_SUB": ["path", …]}: {@code ${VAR}} replaced in the string at each
 *       path, then {@code BROKER_VAR_SUB} removed and the body written compactly (key order kept);</li>
 *   <li>a header {@code x-broker-var-sub: h1, h2}: {@code ${VAR}} replaced in those headers (names
 *       case-insensitive); {@code x-broker-var-sub} itself is forwarded unchanged.</li>
 * </ul>
 * A listed path that holds no string, or uses {@code *}, is left alone with a warning (snyk would fail).
 * Where a replacement is empty we write "" (snyk's undefsafe ignores falsy values and leaves the placeholder).
 */
public final class RequestSubstitution {

    public static final String HEADER = "x-broker-var-sub";
    public static final String BODY_FIELD = "BROKER_VAR_SUB";

    private static final Logger LOG = LoggerFactory.getLogger(RequestSubstitution.class);

    /** The request after substitution; {@code body} is the original array when nothing changed. */
    public record Result(Map<String, List<String>> headers, byte[] body) {
    }

    private RequestSubstitution() {
    }

    public static Result apply(Map<String, List<String>> headers, byte[] body, Variables variables,
            boolean bodyEnabled, boolean headersEnabled) {
        byte[] newBody = bodyEnabled ? substituteBody(body, variables) : body;
        Map<String, List<String>> newHeaders = headersEnabled ? substituteHeaders(headers, variables) : headers;
        return new Result(newHeaders, newBody);
    }

    static byte[] substituteBody(byte[] body, Variables variables) {
        if (body == null) {
            return null;
        }
        Object parsed = JsJson.parse(body).orElse(null);
        if (!(parsed instanceof Map<?, ?> map) || !JsJson.isTruthy(map.get(BODY_FIELD))) {
            return body;
        }
        Object paths = map.get(BODY_FIELD);
        if (paths instanceof List<?> list) {
            for (Object path : list) {
                if (path instanceof String p) {
                    substituteAt(parsed, p, variables);
                } else {
                    LOG.warn("body variable substitution: ignoring a path that is not a string");
                }
            }
        } else {
            LOG.warn("body variable substitution: {} is not an array, nothing substituted", BODY_FIELD);
        }
        map.remove(BODY_FIELD);
        return JsJson.stringify(parsed).getBytes(StandardCharsets.UTF_8);
    }

    private static void substituteAt(Object body, String path, Variables variables) {
        BodyPath bodyPath = BodyPath.of(path);
        if (bodyPath.hasWildcard()) {
            LOG.warn("body variable substitution: wildcard path '{}' is not supported", path);
            return;
        }
        List<Object> found = bodyPath.resolve(body);
        if (found.isEmpty()) {
            return;
        }
        if (!(found.get(0) instanceof String text)) {
            LOG.warn("body variable substitution: '{}' does not hold a string, left unchanged", path);
            return;
        }
        bodyPath.set(body, variables.replace(text));
    }

    static Map<String, List<String>> substituteHeaders(Map<String, List<String>> headers, Variables variables) {
        List<String> spec = valuesOf(headers, HEADER);
        if (spec.isEmpty() || String.join(",", spec).isEmpty()) {
            return headers;
        }
        Map<String, List<String>> out = new LinkedHashMap<>(headers);
        for (String name : String.join(",", spec).split(",", -1)) {
            String wanted = name.trim().toLowerCase(Locale.ROOT);
            for (Map.Entry<String, List<String>> e : out.entrySet()) {
                if (e.getKey().toLowerCase(Locale.ROOT).equals(wanted)) {
                    List<String> replaced = new ArrayList<>();
                    e.getValue().forEach(v -> replaced.add(variables.replace(v)));
                    e.setValue(List.copyOf(replaced));
                }
            }
        }
        return out;
    }

    private static List<String> valuesOf(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return List.of();
    }
}
