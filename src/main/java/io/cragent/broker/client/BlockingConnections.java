package io.cragent.broker.client;

import io.cragent.http.ProxyRules;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.time.Duration;

/**
 * Blocking connections for the relay of a response: the agent's body is read and the upload to the server written
 * by the same thread, in 64 KiB pieces, through {@link HttpURLConnection}. The JDK's asynchronous client hands every
 * 16 KiB between its selector thread and the reader, which capped a relay at about 110 MB/s here, and writes 16 KiB
 * chunks, each an event for the node server. Same trust and proxies (and proxy credentials) as the client's websockets.
 */
public final class BlockingConnections {
    static {
        // Idle connections kept per destination (the JDK keeps 5): the relay runs up to CR_CLIENT_CONCURRENCY at once.
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", "64");
        }
    }

    private final SSLContext ssl;
    private final ProxyRules proxies;
    private final Duration connectTimeout;

    /** {@code ssl} and {@code proxies} may be null: the JVM's defaults, no proxy. */
    public BlockingConnections(SSLContext ssl, ProxyRules proxies, Duration connectTimeout) {
        this.ssl = ssl;
        this.proxies = proxies;
        this.connectTimeout = connectTimeout;
    }

    public HttpURLConnection open(URI uri) throws IOException {
        HttpURLConnection connection = proxies == null ? (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY)
                : proxies.open(uri);
        if (ssl != null && connection instanceof HttpsURLConnection https) {
            https.setSSLSocketFactory(ssl.getSocketFactory());
        }
        connection.setConnectTimeout((int) connectTimeout.toMillis());
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        return connection;
    }
}
