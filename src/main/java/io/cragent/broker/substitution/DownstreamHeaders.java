package io.cragent.broker.substitution;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The headers (and URL) the client sends to the rule's origin (broker-protocol.md §5.3), as snyk's
 * prepareRequest and downstream request code build them: hop-by-hop, forwarding and Snyk-internal headers
 * removed, {@code Authorization} from the rule's {@code auth} or the origin's user-info, {@code x-request-id},
 * {@code connection}/{@code keep-alive}, a recomputed {@code content-length}, {@code snyk-request-id}, and our
 * user agent with the caller's kept in {@code x-broker-origin-ua}. All names lower case.
 */
public final class DownstreamHeaders {

    static final Set<String> REMOVED = Set.of("x-forwarded-for", "x-forwarded-proto", "content-length",
            "content-encoding", "host", "x-forwarded-host", "x-forwarded-port", "snyk-acting-group-public-id",
            "snyk-acting-org-public-id", "snyk-acting-user-public-id", "snyk-flow-name", "snyk-product-line",
            "snyk-project-type", "snyk-integration-type", "x-snyk-broker-context-id");

    /** What to send: the target URL (user-info moved or kept as snyk does) and the headers. */
    public record Prepared(String url, Map<String, List<String>> headers) {
    }

    private DownstreamHeaders() {
    }

    /**
     * @param targetUrl              origin + raw URL (see {@code FilterDecision.Allowed#targetUrl})
     * @param authorization          from the rule's {@code auth}, or null
     * @param bodyLength             bytes of the (substituted) body, 0 without one
     * @param requestId              the request id (snyk-request-id)
     * @param version                our client version, for the user agent
     * @param removeXForwardedHeaders {@code REMOVE_X_FORWARDED_HEADERS=true}
     */
    public static Prepared prepare(String targetUrl, Map<String, List<String>> incoming, String authorization,
            long bodyLength, String requestId, String version, boolean removeXForwardedHeaders) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        incoming.forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
        String url = targetUrl;
        if (!headers.containsKey("user-agent") || first(headers, "user-agent").isEmpty()) {
            headers.put("user-agent", List.of("Snyk Broker " + version));
        }
        if (authorization != null && !authorization.isEmpty()) {
            headers.put("authorization", List.of(authorization));
        } else {
            String userInfo = userInfo(url);
            if (userInfo != null) {
                if (userInfo.contains(":")) {
                    headers.remove("authorization");
                } else {
                    headers.put("authorization", List.of("token " + userInfo));
                    url = url.replaceFirst("//" + java.util.regex.Pattern.quote(userInfo) + "@", "//");
                }
            }
        }
        headers.keySet().removeIf(REMOVED::contains);
        if (removeXForwardedHeaders) {
            headers.keySet().removeIf(name -> name.startsWith("x-forwarded-") || name.equals("forwarded"));
        }
        if (headers.containsKey("snyk-request-id") && !headers.containsKey("x-request-id")) {
            headers.put("x-request-id", headers.get("snyk-request-id"));
        }
        headers.put("connection", List.of("Keep-Alive"));
        headers.put("keep-alive", List.of("timeout=60, max=1000"));
        headers.put("content-length", List.of(Long.toString(bodyLength)));
        headers.put("snyk-request-id", List.of(requestId));
        headers.put("x-broker-origin-ua", List.of(first(headers, "user-agent")));
        headers.put("user-agent", List.of("Snyk Broker Client " + version));
        return new Prepared(url, headers);
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    private static String userInfo(String url) {
        try {
            return URI.create(url).getRawUserInfo();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
