package io.cragent.broker.filter;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.broker.substitution.Variables;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A rule's {@code auth}: the {@code Authorization} header the client sets when the rule matches
 * (broker-protocol.md §4.4), fields resolved with the client's variables. The CRA rules have none.
 */
public record RuleAuth(String scheme, String token, String username, String password) {

    static RuleAuth parse(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("'auth' must be an object");
        }
        String scheme = node.path("scheme").asText("");
        if (!scheme.equals("basic") && !scheme.equals("token") && !scheme.equals("bearer") && !scheme.equals("raw")) {
            throw new IllegalArgumentException("auth scheme must be basic, token, bearer or raw, not '" + scheme + "'");
        }
        return new RuleAuth(scheme, node.path("token").asText(""), node.path("username").asText(""),
                node.path("password").asText(""));
    }

    /** The header value, as snyk's auth-header builds it. */
    public String headerValue(Variables variables) {
        return switch (scheme) {
            case "token" -> "Token " + variables.replace(token);
            case "bearer" -> "Bearer " + variables.replace(token);
            case "raw" -> variables.replace(token);
            default -> "Basic " + base64(token.isEmpty()
                    ? variables.replace(username) + ":" + variables.replace(password)
                    : variables.replace(token));
        };
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "RuleAuth[" + scheme + "]";
    }
}
