package io.cragent.broker.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.cragent.broker.filter.BlockedResponse;
import io.cragent.broker.link.BrokerLink;
import io.vertx.core.http.HttpServerRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The agent's callbacks (broker-protocol.md §6): the public rules, then a {@code request} with an ack over the
 * primary socket (else the secondary), and the server's answer relayed as the HTTP response.
 */
public final class Upstream {
    private static final Logger LOG = LoggerFactory.getLogger(Upstream.class);
    private static final Set<String> RECOMPUTED = Set.of("content-length", "transfer-encoding", "connection",
            "keep-alive");

    private final RequestGate gate;
    private final BrokerLink link;
    private final int bodyLimit;

    public Upstream(RequestGate gate, BrokerLink link, int bodyLimit) {
        this.gate = gate;
        this.link = link;
        this.bodyLimit = bodyLimit;
    }

    /** Exchange property: what became of the callback (relayed, blocked, too-large, timeout, unavailable), for metrics. */
    public static final String OUTCOME = "upstreamOutcome";

    public void relay(Exchange exchange) throws InterruptedException {
        Message message = exchange.getMessage();
        BrokerRequest request = read(exchange);
        if (request.body() != null && request.body().length > bodyLimit) {
            exchange.setProperty(OUTCOME, "too-large");
            answerJson(message, 413, Json.object("code", "BODY_TOO_LARGE", "message", "request body of "
                    + request.body().length + " bytes exceeds the limit of " + bodyLimit + " bytes"), request);
            return;
        }
        if (!gate.allowsUpstream(request)) {
            LOG.warn("blocked callback {} {}: no public accept rule matches", request.method(),
                    Downstream.pathOnly(request.url()));
            exchange.setProperty(OUTCOME, "blocked");
            BlockedResponse blocked = BlockedResponse.upstream(request.url());
            answerJson(message, blocked.status(), blocked.bodyJson(), request);
            return;
        }
        try {
            ArrayNode ack = link.request(WireRequests.toServer(request)).get();
            exchange.setProperty(OUTCOME, "relayed");
            relayAck(message, ack.path(0), request);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            exchange.setProperty(OUTCOME, cause instanceof TimeoutException ? "timeout" : "unavailable");
            if (cause instanceof TimeoutException) {
                answerJson(message, 504, Json.object("code", "BROKER_SERVER_TIMEOUT", "message",
                        "the broker server did not answer within " + link.settings().ackTimeout().toSeconds() + " s"),
                        request);
            } else {
                LOG.warn("callback {} not relayed: {}", request.requestId(), cause.getMessage());
                answerJson(message, 503, Json.object("code", "BROKER_SERVER_UNAVAILABLE", "message",
                        "no connection to the broker server is open"), request);
            }
        }
    }

    /** A failure of the client itself on the local port: JSON, without details that might carry request data. */
    public void failed(Exchange exchange) {
        answerJson(exchange.getMessage(), 500, Json.object("code", "INTERNAL_ERROR", "message",
                "internal error; see the client's log"), null);
    }

    private static BrokerRequest read(Exchange exchange) {
        Message in = exchange.getMessage();
        HttpServerRequest http = ((HttpMessage) in).getRequest();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        http.headers().forEach(e -> headers.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT),
                k -> new ArrayList<>()).add(e.getValue()));
        String requestId = WireRequests.requestId(headers.get("snyk-request-id"));
        headers.put("snyk-request-id", List.of(requestId));
        byte[] body = in.getBody(byte[].class);
        return new BrokerRequest(http.method().name(), http.uri(), headers, body == null || body.length == 0 ? null : body,
                "", requestId);
    }

    /** Status, the ack's headers (lengths recomputed), {@code snyk-request-id}, and the body: a string as is, else JSON. */
    private static void relayAck(Message message, JsonNode answer, BrokerRequest request) {
        message.getHeaders().clear();
        answer.path("headers").fields().forEachRemaining(h -> {
            if (!RECOMPUTED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                message.setHeader(h.getKey(), h.getValue().isArray() ? List.copyOf(toStrings(h.getValue()))
                        : h.getValue().asText());
            }
        });
        message.setHeader("snyk-request-id", request.requestId());
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, answer.path("status").asInt(502));
        JsonNode body = answer.get("body");
        String text = body == null || body.isNull() ? "" : body.isTextual() ? body.asText() : body.toString();
        message.setBody(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> toStrings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    static void answerJson(Message message, int status, String json, BrokerRequest request) {
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        if (request != null) {
            message.setHeader("snyk-request-id", request.requestId());
        }
        message.setBody(json.getBytes(StandardCharsets.UTF_8));
    }
}
