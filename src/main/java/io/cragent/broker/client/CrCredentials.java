package io.cragent.broker.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * {@code CR_CREDENTIALS} from the {@code CR_*} variables (broker-protocol.md §9.2): snyk's key order, separators and
 * trailing newline, so the bytes equal snyk's entrypoint whenever nothing needs escaping, but always valid JSON. A
 * preset {@code CR_CREDENTIALS} is used verbatim. The result is never logged.
 */
public final class CrCredentials {

    private CrCredentials() {
    }

    /** The base64 value, or null when neither {@code CR_CREDENTIALS} nor {@code CR_TYPE} is set. */
    public static String from(Map<String, String> env) {
        String preset = env.get("CR_CREDENTIALS");
        if (preset != null && !preset.isBlank()) {
            return preset.trim();
        }
        String type = env.get("CR_TYPE");
        if (type == null || type.isBlank()) {
            return null;
        }
        String line;
        String canonical = type.trim().toLowerCase(Locale.ROOT);
        if (canonical.equals("ecr") || canonical.equals("elasticcr")) {
            line = "{\"type\":" + quote(type) + ",\"roleArn\":" + quote(get(env, "CR_ROLE_ARN"))
                    + ",\"extra\":{\"region\":" + quote(get(env, "CR_REGION")) + ",\"externalId\":"
                    + quote(get(env, "CR_EXTERNAL_ID")) + "}}";
        } else if (canonical.equals("digitalocean-cr")) {
            String token = get(env, "CR_TOKEN");
            line = userPassword(type, token, token, get(env, "CR_BASE"));
        } else {
            line = userPassword(type, get(env, "CR_USERNAME"), get(env, "CR_PASSWORD"), get(env, "CR_BASE"));
        }
        return Base64.getEncoder().encodeToString((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static String userPassword(String type, String username, String password, String base) {
        return "{\"type\":" + quote(type) + ", \"username\":" + quote(username) + ", \"password\":" + quote(password)
                + ", \"registryBase\":" + quote(base) + "}";
    }

    private static String get(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null ? "" : value;
    }

    /** A JSON string per RFC 8259: quote, backslash and control characters escaped, everything else as is. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
