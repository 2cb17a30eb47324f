package io.cragent.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * {@code /health/live}, {@code /health/ready} and {@code /metrics} of either process. Health comes from Camel's
 * health-check registry (context, routes, consumers, and our readiness checks); 200 when every check is UP, else
 * 503. Only each check's id, state and message are shown: details may carry endpoint URIs.
 */
public final class HealthEndpoints {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Metrics metrics;

    public HealthEndpoints(Metrics metrics) {
        this.metrics = metrics;
    }

    public void live(Exchange exchange) {
        answer(exchange, HealthCheckHelper.invokeLiveness(exchange.getContext()));
    }

    public void ready(Exchange exchange) {
        answer(exchange, HealthCheckHelper.invokeReadiness(exchange.getContext()));
    }

    public void metrics(Exchange exchange) {
        write(exchange.getMessage(), 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
    }

    private static void answer(Exchange exchange, Collection<HealthCheck.Result> results) {
        boolean up = results.stream().allMatch(r -> r.getState() == HealthCheck.State.UP);
        ObjectNode body = JSON.createObjectNode().put("status", up ? "UP" : "DOWN");
        ArrayNode checks = body.putArray("checks");
        results.stream().sorted(java.util.Comparator.comparing(r -> r.getCheck().getId())).forEach(r -> {
            ObjectNode check = checks.addObject().put("id", r.getCheck().getId()).put("state", r.getState().name());
            r.getMessage().ifPresent(m -> check.put("message", m));
        });
        write(exchange.getMessage(), up ? 200 : 503, "application/json", body.toString());
    }

    /** platform-http copies message headers to the response: the request's are dropped first. */
    private static void write(Message message, int status, String contentType, String body) {
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
        message.setBody(body.getBytes(StandardCharsets.UTF_8));
    }
}
