package io.cragent.broker.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
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
    /** Set by the connection itself; HttpURLConnection ignores them from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "keep-alive", "transfer-encoding");
    /** Hop-by-hop: not relayed back. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding");
    /** What HttpURLConnection can send. */
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS");

    private final BlockingConnections connections;
    private final Duration responseTimeout;
    private final int connectRetries;
    private final Duration retryDelay;

    public AgentForwarder(BlockingConnections connections, Duration responseTimeout, int connectRetries,
                          Duration retryDelay) {
        this.connections = connections;
        this.responseTimeout = responseTimeout;
        this.connectRetries = connectRetries;
        this.retryDelay = retryDelay;
    }

    /** The agent's status and headers; the body still streams (the caller closes it). */
    public ClientResponse forward(RequestGate.Forward forward) {
        if (!METHODS.contains(forward.method())) {
            throw DownstreamFailure.error("method " + forward.method() + " is not supported by this client", null);
        }
        for (int attempt = 0; ; attempt++) {
            HttpURLConnection connection = null;
            try {
                connection = open(forward);
                int status = connection.getResponseCode();
                InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
                return new ClientResponse(status, headers(connection), ClientResponse.classify(status),
                        body != null ? body : InputStream.nullInputStream());
            } catch (ConnectException e) {
                if (attempt >= connectRetries) {
                    throw DownstreamFailure.unreachable("connect ECONNREFUSED " + hostPort(forward.target()), e);
                }
                LOG.debug("agent connection refused, retry {} of {}", attempt + 1, connectRetries);
                pause();
            } catch (UnknownHostException e) {
                throw DownstreamFailure.unreachable("getaddrinfo ENOTFOUND " + forward.target().getHost(), e);
            } catch (SocketTimeoutException e) {
                disconnect(connection);
                boolean connecting = e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("connect");
                throw DownstreamFailure.timeout(connecting ? "connect ETIMEDOUT " + hostPort(forward.target())
                        : "no response from " + hostPort(forward.target()) + " within " + responseTimeout.toSeconds()
                        + " s", e);
            } catch (IOException e) {
                disconnect(connection);
                throw DownstreamFailure.error(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
            }
        }
    }

    /** The response for a failure, as snyk shapes it: {@code {"code":…,"message":…}} and its errorType. */
    public ClientResponse failure(DownstreamFailure failure) {
        LOG.warn("downstream request failed: {} {}", failure.code(), failure.getMessage());
        return ClientResponse.ofJson(failure.status(), failure.code(), Json.object("code", failure.code(),
                "message", failure.getMessage()));
    }

    private HttpURLConnection open(RequestGate.Forward forward) throws IOException {
        HttpURLConnection connection = connections.open(forward.target());
        connection.setRequestMethod(forward.method());
        connection.setReadTimeout((int) Math.min(Integer.MAX_VALUE, responseTimeout.toMillis()));
        forward.headers().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> connection.addRequestProperty(name, v));
            }
        });
        byte[] body = forward.body();
        if (body != null && body.length > 0) {
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
        } else {
            connection.connect();
        }
        return connection;
    }

    private static Map<String, List<String>> headers(HttpURLConnection connection) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        connection.getHeaderFields().forEach((name, values) -> {
            if (name != null && !HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values);
            }
        });
        return headers;
    }

    private static void disconnect(HttpURLConnection connection) {
        if (connection != null) {
            connection.disconnect();
        }
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
