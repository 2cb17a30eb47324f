package io.cragent.broker.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code request} event payloads to and from {@link BrokerRequest} (broker-protocol.md §3.1, §3.2 steps 1–2, §6).
 */
public final class WireRequests {
    private static final Pattern UUID_SHAPE =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern CONTEXT_PREFIX =
            Pattern.compile("^/ctx/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private WireRequests() {
    }

    /** A request from the server: request id checked (a new one unless a UUID), a {@code /ctx/<uuid>} prefix dropped. */
    public static BrokerRequest fromServer(JsonNode payload) {
        Map<String, List<String>> headers = headers(payload.path("headers"));
        String requestId = requestId(headers.get("snyk-request-id"));
        headers.put("snyk-request-id", List.of(requestId));
        String url = CONTEXT_PREFIX.matcher(payload.path("url").asText("/")).replaceFirst("");
        return new BrokerRequest(payload.path("method").asText("GET").toUpperCase(Locale.ROOT), url, headers,
                body(payload.get("body")), payload.path("streamingID").asText(""), requestId);
    }

    /** The event payload of a callback going upstream: no body field when there is no body. */
    public static ObjectNode toServer(BrokerRequest request) {
        ObjectNode payload = NODES.objectNode().put("url", request.url()).put("method", request.method());
        if (request.body() != null && request.body().length > 0) {
            payload.set("body", BinaryNode.valueOf(request.body()));
        }
        ObjectNode headers = payload.putObject("headers");
        request.headers().forEach((name, values) -> {
            if (values.size() == 1) {
                headers.put(name, values.get(0));
            } else {
                values.forEach(v -> headers.withArray(name).add(v));
            }
        });
        payload.put("streamingID", "").put("requestId", request.requestId());
        return payload;
    }

    /** The agent's value if it is a UUID, else a new one. */
    public static String requestId(List<String> given) {
        String id = given == null || given.isEmpty() ? null : given.get(0);
        return id != null && UUID_SHAPE.matcher(id).matches() ? id : UUID.randomUUID().toString();
    }

    private static Map<String, List<String>> headers(JsonNode node) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            List<String> values = new ArrayList<>();
            if (e.getValue().isArray()) {
                e.getValue().forEach(v -> values.add(v.asText()));
            } else if (!e.getValue().isNull()) {
                values.add(e.getValue().asText());
            }
            headers.put(e.getKey().toLowerCase(Locale.ROOT), values);
        });
        return headers;
    }

    /** {@code $binary} (decoded already), a plain string, or an old server's {@code {"type":"Buffer","data":[…]}}. */
    private static byte[] body(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return null;
        }
        if (body.isBinary()) {
            return ((BinaryNode) body).binaryValue();
        }
        if (body.isTextual()) {
            return body.asText().getBytes(StandardCharsets.UTF_8);
        }
        if ("Buffer".equals(body.path("type").asText()) && body.path("data").isArray()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            body.path("data").forEach(b -> bytes.write(b.asInt()));
            return bytes.toByteArray();
        }
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }
}
