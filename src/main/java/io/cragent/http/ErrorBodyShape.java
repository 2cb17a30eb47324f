package io.cragent.http;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How each process writes an error body: the agent wraps it as {@code {"ok":false,"error":{"code","message"}}}, the
 * broker client writes snyk's flat {@code {"code","message"}}.
 */
public enum ErrorBodyShape {
    AGENT, CLIENT;

    private static final ObjectMapper JSON = new ObjectMapper();

    public String write(String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        Map<String, Object> body = this == CLIENT ? error : new LinkedHashMap<>(Map.of("ok", false, "error", error));
        try {
            return JSON.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write an error body", e);
        }
    }
}
