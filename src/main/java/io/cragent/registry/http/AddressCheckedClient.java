package io.cragent.registry.http;

import io.cragent.registry.AddressPolicy;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The JDK client every outgoing request of the agent goes through: registries, token realms, vendor APIs, each
 * redirect and next-page hop ({@link RegistryHttp}), and callbacks. HTTP/1.1 (a broker client takes any request
 * offering {@code Upgrade: h2c} for a websocket), redirects never followed by the JDK, and {@link AddressPolicy}
 * applied to each request's host right before it is sent, not only when a request names it: a name that resolved
 * to a public address when the API request was accepted may resolve to 169.254.169.254 by the time a scan reaches
 * its tenth layer (DNS rebinding), and a realm, redirect or vendor host is never seen at acceptance at all.
 *
 * <p>What remains: the JDK client has no resolver hook (Java 17), so this check and the connection resolve the name
 * separately. Both go through the JVM's address cache ({@code networkaddress.cache.ttl}, 30 s by default), so they
 * see the same answer unless the cache entry expires between the two. Through a proxy the proxy resolves the name:
 * a name that resolves here is still checked, one that does not is left to the proxy (give it its own egress rules).
 */
public final class AddressCheckedClient {
    private final HttpClient client;
    private final boolean allowLoopback;

    /**
     * @param proxy         null: direct connections
     * @param allowLoopback whether this machine may be called (registries: {@code CR_AGENT_ALLOW_LOOPBACK_REGISTRY};
     *                      callbacks: always, only an operator names them)
     */
    public AddressCheckedClient(Duration connectTimeout, SSLContext tls, ProxySelector proxy, boolean allowLoopback) {
        this.allowLoopback = allowLoopback;
        HttpClient.Builder builder = HttpClient.newBuilder();
        if (proxy != null) {
            builder.proxy(proxy);
        }
        this.client = builder.version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout).sslContext(tls)
                // Explicit parameters: the client would otherwise ask a lazily made context for its defaults at once.
                .sslParameters(new SSLParameters()).build();
    }

    /** Sends the request unless its host is one the policy refuses; then nothing is sent and nothing connects. */
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body)
            throws RefusedAddress, IOException, InterruptedException {
        check(request.uri());
        return client.send(request, body);
    }

    private void check(URI target) throws RefusedAddress {
        String refusal = AddressPolicy.refusal(target.getHost(), allowLoopback);
        if (refusal != null) {
            throw new RefusedAddress(target.getHost(), refusal);
        }
    }

    /**
     * A request not sent because of where its host points. Not an {@link IOException}: it is not a fault to retry,
     * and every caller must decide what a refusal means for it.
     */
    public static final class RefusedAddress extends Exception {
        private final String host;

        RefusedAddress(String host, String reason) {
            super("connection to " + host + " refused: " + reason, null, false, false);
            this.host = host;
        }

        public String host() {
            return host;
        }
    }
}
