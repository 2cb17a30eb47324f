package io.cragent.broker.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Calls the agent with a prepared downstream request and hands back its response with the body still streaming
 * (broker-protocol.md §3.2 step 6, §3.7). Redirects are relayed, not followed. Refused connections are retried
 * 3 times, 500 ms apart, as snyk does; then 502 DOWNSTREAM_UNREACHABLE; no response headers in time → 504.
 */
public final class AgentForwarder {
    private static final Logger LOG = LoggerFactory.getLogger(AgentForwarder.class);
    /** Set by the JDK itself; it refuses them from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "keep-alive");
    /** Hop-by-hop: not relayed back. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding");

    private final HttpClient http;
    private final Duration responseTimeout;
    private final int connectRetries;
    private final Duration retryDelay;

    /** {@code http} must not follow redirects (a 3xx is relayed as it is). */
    public AgentForwarder(HttpClient http, Duration responseTimeout, int connectRetries, Duration retryDelay) {
        this.http = http;
        this.responseTimeout = responseTimeout;
        this.connectRetries = connectRetries;
        this.retryDelay = retryDelay;
    }

    public ClientResponse forward(RequestGate.Forward forward) {
        HttpRequest request = build(forward);
        for (int attempt = 0; ; attempt++) {
            try {
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                return new ClientResponse(response.statusCode(), headers(response), ClientResponse.classify(
                        response.statusCode()), response.body());
            } catch (HttpConnectTimeoutException e) {
                throw DownstreamFailure.timeout("connect ETIMEDOUT " + hostPort(forward.target()), e);
            } catch (HttpTimeoutException e) {
                throw DownstreamFailure.timeout("no response from " + hostPort(forward.target()) + " within "
                        + responseTimeout.toSeconds() + " s", e);
            } catch (ConnectException | UnresolvedAddressException e) {
                if (attempt >= connectRetries) {
                    throw DownstreamFailure.unreachable(unreachableMessage(e, forward.target()), e);
                }
                LOG.debug("agent connection refused, retry {} of {}", attempt + 1, connectRetries);
                pause();
            } catch (IOException e) {
                if (e.getCause() instanceof UnknownHostException || e.getCause() instanceof UnresolvedAddressException) {
                    throw DownstreamFailure.unreachable("getaddrinfo ENOTFOUND " + forward.target().getHost(), e);
                }
                throw DownstreamFailure.error(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw DownstreamFailure.error("interrupted", e);
            }
        }
    }

    /** The response for a failure, as snyk shapes it: {@code {"code":…,"message":…}} and its errorType. */
    public ClientResponse failure(DownstreamFailure failure) {
        LOG.warn("downstream request failed: {} {}", failure.code(), failure.getMessage());
        return ClientResponse.ofJson(failure.status(), failure.code(), Json.object("code", failure.code(),
                "message", failure.getMessage()));
    }

    private HttpRequest build(RequestGate.Forward forward) {
        byte[] body = forward.body();
        HttpRequest.BodyPublisher publisher = body == null || body.length == 0
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body);
        HttpRequest.Builder builder = HttpRequest.newBuilder(forward.target()).timeout(responseTimeout)
                .method(forward.method(), publisher);
        forward.headers().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        return builder.build();
    }

    private static Map<String, List<String>> headers(HttpResponse<?> response) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.startsWith(":") && !HOP_BY_HOP.contains(lower)) {
                headers.put(lower, values);
            }
        });
        return headers;
    }

    private static String unreachableMessage(Exception e, URI target) {
        return e instanceof UnresolvedAddressException ? "getaddrinfo ENOTFOUND " + target.getHost()
                : "connect ECONNREFUSED " + hostPort(target);
    }

    private static String hostPort(URI target) {
        int port = target.getPort() > 0 ? target.getPort() : "https".equals(target.getScheme()) ? 443 : 80;
        return target.getHost() + ":" + port;
    }

    private void pause() {
        try {
            Thread.sleep(retryDelay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DownstreamFailure.error("interrupted", e);
        }
    }
}
