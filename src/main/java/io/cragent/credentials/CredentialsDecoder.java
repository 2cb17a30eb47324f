package io.cragent.credentials;

import io.cragent.logging.Redactor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Reads {@code CR_CREDENTIALS} the way a real broker client sends it: base64 of one JSON line, perhaps behind a
 * scheme word, perhaps with snyk's unescaped values. Error messages say what is wrong, never what the value was.
 */
public final class CredentialsDecoder {
    private static final Pattern SCHEME_PREFIX = Pattern.compile("^(?i)(basic|bearer|token)\\s+");
    private static final String[] SNYK_KEYS = {"{\"type\":\"", "\", \"username\":\"", "\", \"password\":\"",
            "\", \"registryBase\":\""};
    private static final int MAX_LENGTH = 64 * 1024;

    private final ObjectMapper json = new ObjectMapper();

    public RegistryCredentials decode(String value) {
        if (value == null || value.isBlank()) {
            throw invalid("registry credentials are missing: send CR_CREDENTIALS in the Authorization header "
                    + "or a \"credentials\" body field");
        }
        if (value.length() > MAX_LENGTH) {
            throw invalid("registry credentials are too long");
        }
        String text = SCHEME_PREFIX.matcher(value.trim()).replaceFirst("");
        String decoded = text.startsWith("{") ? text : base64(text);
        RegistryCredentials credentials = fromJson(decoded.strip());
        Redactor.remember(text);
        return credentials;
    }

    /** The JSON object itself, as a {@code credentials} body field may carry it. */
    public RegistryCredentials decode(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return decode((String) null);
        }
        return node.isTextual() ? decode(node.asText()) : fromTree(node);
    }

    private String base64(String text) {
        String compact = text.replaceAll("\\s", "").replace('-', '+').replace('_', '/').replace("=", "");
        try {
            return new String(Base64.getDecoder().decode(pad(compact)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid("registry credentials are not valid base64");
        }
    }

    private static String pad(String base64) {
        int rest = base64.length() % 4;
        return rest == 0 ? base64 : base64 + "=".repeat(4 - rest);
    }

    private RegistryCredentials fromJson(String text) {
        try {
            return fromTree(json.readTree(text));
        } catch (AgentException e) {
            throw e;
        } catch (Exception strictFailed) {
            return fromSnykLine(text);
        }
    }

    private RegistryCredentials fromTree(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw invalid("registry credentials must be a JSON object");
        }
        RegistryType type = RegistryType.fromName(text(node, "type"));
        JsonNode extra = node.path("extra");
        String region = firstNonNull(text(extra, "region"), text(node, "region"));
        String externalId = firstNonNull(text(extra, "externalId"), text(node, "externalId"));
        RegistryCredentials credentials = new RegistryCredentials(type, text(node, "username"),
                text(node, "password"), text(node, "registryBase"), text(node, "roleArn"), region, externalId);
        return validated(credentials);
    }

    /**
     * Snyk's entrypoint interpolates values without JSON escaping, so a password with a quote breaks the JSON.
     * Its key order and separators are fixed, which lets the values be cut out by position.
     */
    private RegistryCredentials fromSnykLine(String text) {
        if (!text.startsWith(SNYK_KEYS[0]) || !text.endsWith("\"}")) {
            throw invalid("registry credentials are not valid JSON");
        }
        int[] starts = new int[SNYK_KEYS.length];
        int from = 0;
        for (int i = 0; i < SNYK_KEYS.length; i++) {
            int at = text.indexOf(SNYK_KEYS[i], from);
            if (at < 0 || (i > 0 && text.indexOf(SNYK_KEYS[i], at + 1) >= 0)) {
                throw invalid("registry credentials are not valid JSON and cannot be read unambiguously");
            }
            starts[i] = at;
            from = at + SNYK_KEYS[i].length();
        }
        String type = text.substring(SNYK_KEYS[0].length(), starts[1]);
        String username = text.substring(starts[1] + SNYK_KEYS[1].length(), starts[2]);
        String password = text.substring(starts[2] + SNYK_KEYS[2].length(), starts[3]);
        String registryBase = text.substring(starts[3] + SNYK_KEYS[3].length(), text.length() - 2);
        return validated(RegistryCredentials.basic(RegistryType.fromName(type), username, password, registryBase));
    }

    /** Checked, and its secret remembered so that no log line or trace shows it wherever it turns up. */
    private static RegistryCredentials validated(RegistryCredentials credentials) {
        Redactor.rememberLogin(credentials.username(), credentials.password());
        // Control characters have no place in these values, which end up in URLs and HTTP headers. A password may
        // hold line breaks and tabs (a service-account key file), never NUL and the like.
        for (String value : new String[] {credentials.username(), credentials.registryBase(), credentials.roleArn(),
                credentials.region(), credentials.externalId()}) {
            if (value != null && value.chars().anyMatch(Character::isISOControl)) {
                throw invalid("registry credentials must not contain control characters");
            }
        }
        String password = credentials.password();
        if (password != null && password.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
            throw invalid("registry credentials must not contain control characters");
        }
        if (credentials.type() == RegistryType.ECR) {
            if (isBlank(credentials.roleArn()) || isBlank(credentials.region())) {
                throw invalid("ecr credentials need roleArn and extra.region");
            }
        } else if (isBlank(credentials.registryBase())) {
            throw invalid("registry credentials need registryBase");
        }
        return credentials;
    }

    /** A string field; anything else (a number, an object) is refused rather than turned into text. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid("registry credentials: " + field + " must be a string");
        }
        return value.asText();
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static AgentException invalid(String message) {
        return new AgentException(ErrorCode.INVALID_CREDENTIALS, message);
    }
}
