package io.cragent.broker.filter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The 401 answer to a blocked request (broker-protocol.md §4.5), with snyk's exact body text:
 * {@code {"code":"FILTER_BLOCKED","message":"blocked","reason":…,"url":…}}.
 */
public record BlockedResponse(int status, String errorType, String code, String message, String reason, String url) {

    public static final String FILTER_BLOCKED = "FILTER_BLOCKED";
    static final String DOWNSTREAM_REASON = "[Websocket Flow][Blocked Request] Does not match any accept rule";
    static final String UPSTREAM_REASON = "Request does not match any accept rule, blocking HTTP request";
    /** Content type of the upstream (local HTTP) answer. */
    public static final String CONTENT_TYPE = "application/json; charset=utf-8";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request from the server (SaaS → client → agent) that no private rule allows. */
    public static BlockedResponse downstream(String url) {
        return new BlockedResponse(401, FILTER_BLOCKED, FILTER_BLOCKED, "blocked", DOWNSTREAM_REASON, url);
    }

    /** An agent callback (agent → client → server) that no public rule allows. */
    public static BlockedResponse upstream(String url) {
        return new BlockedResponse(401, FILTER_BLOCKED, FILTER_BLOCKED, "blocked", UPSTREAM_REASON, url);
    }

    public ObjectNode body() {
        ObjectNode body = JSON.createObjectNode();
        body.put("code", code).put("message", message).put("reason", reason).put("url", url);
        return body;
    }

    public String bodyJson() {
        return body().toString();
    }
}
