package io.cragent.registry.http;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One registry request. {@code authorization} is sent only to {@code uri}'s origin: a redirect elsewhere goes
 * without it.
 *
 * @param streaming a blob: no total timeout, the body is read by the caller as it arrives
 */
public record HttpCall(String method, URI uri, Map<String, String> headers, String authorization, boolean streaming) {

    public static HttpCall get(URI uri) {
        return new HttpCall("GET", uri, Map.of(), null, false);
    }

    public HttpCall withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new HttpCall(method, uri, copy, authorization, streaming);
    }

    public HttpCall withAuthorization(String value) {
        return new HttpCall(method, uri, headers, value, streaming);
    }

    public HttpCall withMethod(String value) {
        return new HttpCall(value, uri, headers, authorization, streaming);
    }

    public HttpCall withUri(URI value) {
        return new HttpCall(method, value, headers, authorization, streaming);
    }

    public HttpCall streamingBody() {
        return new HttpCall(method, uri, headers, authorization, true);
    }

    @Override
    public String toString() {
        return method + " " + uri + (authorization != null ? " (authorized)" : "");
    }
}
