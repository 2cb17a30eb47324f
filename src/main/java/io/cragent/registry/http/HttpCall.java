package io.cragent.registry.http;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One registry request. {@code authorization} is sent only to {@code uri}'s origin: a redirect elsewhere goes
 * without it.
 *
 * @param streaming a blob: no total timeout, the body is read by the caller as it arrives
 * @param body      what a POST sends (a vendor API's login, a token grant), null for none
 */
public record HttpCall(String method, URI uri, Map<String, String> headers, String authorization, boolean streaming,
                       byte[] body) {

    public static HttpCall get(URI uri) {
        return new HttpCall("GET", uri, Map.of(), null, false, null);
    }

    /** A POST of a JSON document (vendor API logins). */
    public static HttpCall postJson(URI uri, String json) {
        return new HttpCall("POST", uri, Map.of("Content-Type", "application/json"), null, false,
                json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A POST of an {@code application/x-www-form-urlencoded} form (OAuth2 token grants). */
    public static HttpCall postForm(URI uri, String form) {
        return new HttpCall("POST", uri, Map.of("Content-Type", "application/x-www-form-urlencoded"), null, false,
                form.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    public HttpCall withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new HttpCall(method, uri, copy, authorization, streaming, body);
    }

    public HttpCall withAuthorization(String value) {
        return new HttpCall(method, uri, headers, value, streaming, body);
    }

    public HttpCall withMethod(String value) {
        return new HttpCall(value, uri, headers, authorization, streaming, value.equals("GET") ? null : body);
    }

    public HttpCall withUri(URI value) {
        return new HttpCall(method, value, headers, authorization, streaming, body);
    }

    public HttpCall streamingBody() {
        return new HttpCall(method, uri, headers, authorization, true, body);
    }

    @Override
    public String toString() {
        return method + " " + uri + (authorization != null ? " (authorized)" : "");
    }
}
