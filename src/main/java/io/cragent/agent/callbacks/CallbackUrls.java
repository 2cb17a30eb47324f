package io.cragent.agent.callbacks;

import io.cragent.errors.AgentException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * The callback base of a job: an http(s) URL to which the callback paths are appended. Snyk's examples send
 * {@code ${BROKER_CLIENT_URL}/api/v2/import/result} rather than the bare base, so a URL that already ends with one
 * of the client's callback paths has that suffix removed: {@code http://client:7341/api/v2/import/result} and
 * {@code http://client:7341} both give {@code http://client:7341}. Credentials, queries and fragments in the URL
 * are refused: the base is logged and written to the spool.
 */
public final class CallbackUrls {
    /** The public callback paths of broker-protocol.md §4.6, longest first so that no suffix shadows another. */
    private static final List<String> KNOWN_SUFFIXES = List.of("/api/v1/recurring-tests/dependencies",
            "/v1/recurring-tests/dependencies", "/api/v2/import/result", "/api/v2/import/done", "/v2/import/result",
            "/v2/import/done", "/rest/scan/result", "/v1/import/app");

    private CallbackUrls() {
    }

    /** The base URL, without a trailing slash or a known callback suffix; null when {@code url} is blank. */
    public static String base(String url, String field) {
        if (url == null || url.isBlank()) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw AgentException.badRequest(field + " is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.isOpaque()) {
            throw AgentException.badRequest(field + " must be an http or https URL with a host");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw AgentException.badRequest(field + " must not carry user information, a query or a fragment");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        for (String suffix : KNOWN_SUFFIXES) {
            if (path.endsWith(suffix)) {
                path = path.substring(0, path.length() - suffix.length());
                break;
            }
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.contains("/../") || path.endsWith("/..") || path.contains("/./")) {
            throw AgentException.badRequest(field + " must not contain dot segments");
        }
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + port + path;
    }
}
