package io.cragent.logging;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it is logged, traced or sent back in an error: values of credential-bearing
 * headers and fields, Basic/Bearer values, base64 JSON (CR_CREDENTIALS, JWTs), broker tokens in paths, AWS key
 * ids, the user and password of URLs, and every secret value this process has been told about ({@link #remember}),
 * wherever it appears.
 */
public final class Redactor {
    public static final String MASK = "***";
    /** Secret values are remembered up to this many (the oldest forgotten first); shorter ones would mask noise. */
    private static final int MAX_REMEMBERED = 1024;
    private static final int MIN_REMEMBERED_LENGTH = 4;
    /** Secrets a process may hold in its environment, remembered before anything is logged. */
    private static final List<String> SECRET_VARIABLES = List.of("CR_CREDENTIALS", "BROKER_TOKEN", "CR_PASSWORD",
            "CR_TOKEN", "CR_SECRET", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "BROKER_CLIENT_VALIDATION_AUTHORIZATION_HEADER",
            "BROKER_CLIENT_VALIDATION_BASIC_AUTH");

    private static final String KEYS = "authorization|proxy-authorization|x-broker-token|broker_token|cr_credentials"
            + "|credentials|cr_password|password|passwd|secret|client_secret|secretaccesskey|aws_secret_access_key"
            + "|sessiontoken|aws_session_token|x-amz-security-token|access_token|refresh_token|id_token|token"
            + "|private-token|cr_token|api[-_]?key";
    /** {@code key=value}, {@code key: value}, {@code "key":"value"}; a value may start with an auth scheme. */
    private static final Pattern KEY_VALUE = Pattern.compile("(?i)(\"?\\b(?:" + KEYS + ")\"?\\s*[=:]\\s*\"?)"
            + "((?:basic|bearer|token|aws4-hmac-sha256)\\s+)?[^\\s,;&\"'}\\]]+");
    private static final Pattern AUTH_SCHEME = Pattern.compile("(?i)\\b(basic|bearer)\\s+[A-Za-z0-9._~+/=-]{6,}");
    /** base64 of a JSON object ({@code {"}) in either alphabet, as CR_CREDENTIALS and JWTs are. */
    private static final Pattern BASE64_JSON = Pattern.compile("eyJ[A-Za-z0-9+/_=-]{6,}(?:\\.[A-Za-z0-9_=-]*)*");
    private static final Pattern TOKEN_PATH = Pattern.compile("(?i)/(broker|primus|response-data)/[^/\\s?#\"']+");
    /** The user and password of a URL ({@code http://user:pass@proxy:3128}): up to its last {@code @}. */
    private static final Pattern URL_USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s?#\"'<>]*@");
    private static final Pattern AWS_KEY_ID = Pattern.compile("\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b");

    private static final Set<String> REMEMBERED = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > MAX_REMEMBERED;
                }
            }));

    private Redactor() {
    }

    /** A secret this process holds (a password, a token, a raw credentials value): masked wherever it appears. */
    public static void remember(String secret) {
        if (secret != null && secret.strip().length() >= MIN_REMEMBERED_LENGTH) {
            REMEMBERED.add(secret.strip());
        }
    }

    /** The secret variables of this environment ({@code CR_PASSWORD}, {@code BROKER_TOKEN}, ...). */
    public static void rememberEnvironment(Map<String, String> env) {
        SECRET_VARIABLES.forEach(name -> remember(env.get(name)));
    }

    /** A registry login: the password, and the base64 {@code user:password} that Basic authentication sends. */
    public static void rememberLogin(String username, String password) {
        if (password == null || password.isEmpty()) {
            return;
        }
        remember(password);
        remember(Base64.getEncoder().encodeToString(((username == null ? "" : username) + ":" + password)
                .getBytes(StandardCharsets.UTF_8)));
    }

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        String[] known;
        synchronized (REMEMBERED) {
            known = REMEMBERED.toArray(String[]::new);
        }
        for (String secret : known) {
            if (out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        out = URL_USER_INFO.matcher(out).replaceAll("$1" + MASK + "@");
        out = KEY_VALUE.matcher(out).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1)) + MASK);
        out = AUTH_SCHEME.matcher(out).replaceAll("$1 " + MASK);
        out = BASE64_JSON.matcher(out).replaceAll(MASK);
        out = TOKEN_PATH.matcher(out).replaceAll("/$1/" + MASK);
        return AWS_KEY_ID.matcher(out).replaceAll(MASK);
    }
}
