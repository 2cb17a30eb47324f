package io.cragent.broker.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cragent.broker.link.BrokerLink;
import io.cragent.broker.link.BrokerSocket;
import io.cragent.http.ProxyRules;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/**
 * The client's own endpoints (broker-protocol.md §7): {@code /healthcheck} (one entry per socket, 200 while one
 * is open), {@code /systemcheck} (the validation URL called directly with the configured authorization, snyk's
 * JSON shape, the timeout enforced) and {@code /filters}.
 */
public final class ClientChecks {
    /** Validation request settings; {@code secrets} maps names to values that must show as {@code ${NAME}}. */
    public record Validation(String url, String method, String authorization, String basicAuth, Duration timeout,
                             Map<String, String> secrets) {
    }

    private final BrokerLink link;
    private final RequestGate gate;
    private final Validation validation;
    private final String version;
    private final HttpClient http;
    private final ProxyRules proxies;

    /** @param proxies for the credentials of a proxy on the way to the validation URL; null: direct */
    public ClientChecks(BrokerLink link, RequestGate gate, Validation validation, String version, HttpClient http,
                        ProxyRules proxies) {
        this.http = http;
        this.proxies = proxies;
        this.link = link;
        this.gate = gate;
        this.validation = validation;
        this.version = version;
    }

    public void health(Exchange exchange) {
        ArrayNode sockets = Json.MAPPER.createArrayNode();
        for (BrokerSocket socket : link.sockets()) {
            sockets.addObject().put("ok", socket.isOpen()).put("websocketConnectionOpen", socket.isOpen())
                    .put("brokerServerUrl", link.settings().displayUrl(socket.role())).put("version", version)
                    .put("transport", "websocket");
        }
        answer(exchange.getMessage(), link.anyOpen() ? 200 : 500, sockets.toString());
    }

    public void filters(Exchange exchange) {
        answer(exchange.getMessage(), 200, gate.rules().toString());
    }

    public void systemCheck(Exchange exchange) throws InterruptedException {
        ObjectNode result = Json.MAPPER.createObjectNode()
                .put("brokerClientValidationUrl", sanitise(validation.url()))
                .put("brokerClientValidationMethod", validation.method())
                .put("brokerClientValidationTimeoutMs", validation.timeout().toMillis());
        String authorization = authorization();
        boolean ok = false;
        if (validation.url() == null || validation.url().isBlank()) {
            result.put("ok", false).put("error", "BROKER_CLIENT_VALIDATION_URL is not set");
        } else {
            try {
                URI url = URI.create(validation.url());
                HttpRequest.Builder request = HttpRequest.newBuilder(url)
                        .timeout(validation.timeout())
                        .method(validation.method(), HttpRequest.BodyPublishers.noBody())
                        .header("user-agent", "Snyk Broker Client " + version)
                        .header("x-broker-origin-ua", "not-provided")
                        .header("snyk-request-id", UUID.randomUUID().toString());
                if (authorization != null) {
                    request.header("authorization", authorization);
                }
                ProxyRules.authorization(proxies, url).ifPresent(value -> request.header("Proxy-Authorization", value));
                int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                result.put("brokerClientValidationUrlStatusCode", status);
                ok = status <= 300;
                result.put("ok", ok);
                if (!ok) {
                    result.put("error", status == 401 || status == 403 ? "Failed due to invalid credentials"
                            : status == 407 ? ProxyRules.refusal(proxies, url) : "Status code is not 2xx");
                }
            } catch (IOException | IllegalArgumentException e) {
                result.put("ok", false).put("error", sanitise(e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
        }
        result.put("maskedCredentials", masked());
        answer(exchange.getMessage(), ok ? 200 : 500, Json.MAPPER.createArrayNode().add(result).toString());
    }

    private String authorization() {
        if (!isBlank(validation.authorization())) {
            return validation.authorization();
        }
        if (!isBlank(validation.basicAuth())) {
            return "Basic " + Base64.getEncoder().encodeToString(validation.basicAuth().getBytes(StandardCharsets.UTF_8));
        }
        return null;
    }

    /** snyk's mask: the first and last 3 characters of the credential (after a scheme word), or *** when short. */
    private String masked() {
        String cred;
        if (!isBlank(validation.authorization())) {
            String header = validation.authorization();
            cred = header.indexOf(' ') >= 0 ? header.substring(header.indexOf(' ') + 1) : header;
        } else if (!isBlank(validation.basicAuth())) {
            cred = validation.basicAuth();
        } else {
            return null;
        }
        return cred.length() <= 6 ? "***" : cred.substring(0, 3) + "***" + cred.substring(cred.length() - 3);
    }

    private String sanitise(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (Map.Entry<String, String> secret : validation.secrets().entrySet()) {
            if (!isBlank(secret.getValue())) {
                out = out.replace(secret.getValue(), "${" + secret.getKey() + "}");
            }
        }
        return out;
    }

    private static void answer(Message message, int status, String json) {
        Upstream.answerJson(message, status, json, null);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
