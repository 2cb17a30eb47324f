package io.cragent.broker.client;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The answer to a downstream request, sent back to the server: the agent's (status, lower-case headers, body
 * streaming) or one the client made itself ({@code headers} null, a JSON error body). {@code errorType} is snyk's
 * classification (broker-protocol.md §3.7), or null.
 */
public record ClientResponse(int status, Map<String, List<String>> headers, String errorType, InputStream body) {

    /** A response made by the client: {@code {"code":…,"message":…}} (+ extra fields already in {@code json}). */
    public static ClientResponse ofJson(int status, String errorType, String json) {
        return new ClientResponse(status, null, errorType,
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** snyk's errorType for a status that came from the agent. */
    public static String classify(int status) {
        if (status == 401) {
            return "DOWNSTREAM_UNAUTHORIZED";
        }
        if (status == 403) {
            return "DOWNSTREAM_FORBIDDEN";
        }
        if (status == 429) {
            return "DOWNSTREAM_RATE_LIMITED";
        }
        if (status >= 500 && status <= 599) {
            return "DOWNSTREAM_SERVER_ERROR";
        }
        return status >= 400 && status != 404 ? "DOWNSTREAM_UNEXPECTED" : null;
    }
}
