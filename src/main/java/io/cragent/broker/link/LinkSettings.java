package io.cragent.broker.link;

import io.cragent.http.ProxyRules;

import java.net.URI;
import java.time.Duration;

/**
 * How the client reaches the broker server: the primary and the secondary socket each connect to their server URL
 * (the same one unless a secondary server is configured); the token is a bearer secret and is never logged.
 *
 * @param proxies HTTPS_PROXY/HTTP_PROXY/NO_PROXY, for the credentials of a proxy; null: direct
 */
public record LinkSettings(URI primaryServerUrl, URI secondaryServerUrl, String token, String clientId,
                           String version, Backoff backoff, Duration heartbeatInterval, Duration pongTimeout,
                           Duration connectTimeout, Duration ackTimeout, ProxyRules proxies) {

    public URI serverUrl(String role) {
        return "secondary".equals(role) ? secondaryServerUrl : primaryServerUrl;
    }

    /** {@code ws[s]://host[:port]/primus/<token>/?connection_role=<role>&EIO=4&transport=websocket}. */
    public URI websocketUri(String role) {
        URI server = serverUrl(role);
        String scheme = "https".equalsIgnoreCase(server.getScheme()) ? "wss" : "ws";
        String port = server.getPort() < 0 ? "" : ":" + server.getPort();
        return URI.create(scheme + "://" + server.getHost() + port + "/primus/" + token
                + "/?connection_role=" + role + "&EIO=4&transport=websocket");
    }

    /** The server URL as snyk's healthcheck shows it: {@code http://host:port/?connection_role=<role>}. */
    public String displayUrl(String role) {
        URI server = serverUrl(role);
        String port = server.getPort() < 0 ? "" : ":" + server.getPort();
        return server.getScheme() + "://" + server.getHost() + port + "/?connection_role=" + role;
    }
}
