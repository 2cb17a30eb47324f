package io.cragent.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code HTTPS_PROXY}/{@code HTTP_PROXY}/{@code NO_PROXY} as snyk's client reads them, for every outbound
 * connection of the agent and the client: https and wss through the https proxy, http and ws through the http proxy, hosts in
 * {@code NO_PROXY} (exact, a {@code .domain} or {@code domain} suffix, or {@code *}) directly. Proxy credentials in
 * the URL are not supported (the JDK client needs an authenticator for them) and are refused at start-up.
 */
public final class ProxyRules extends ProxySelector {
    private final Proxy https;
    private final Proxy http;
    private final List<String> noProxy;

    private ProxyRules(Proxy https, Proxy http, List<String> noProxy) {
        this.https = https;
        this.http = http;
        this.noProxy = noProxy;
    }

    /** Null when no proxy is configured. */
    public static ProxyRules of(String httpsProxy, String httpProxy, String noProxy) {
        Proxy secure = proxy(httpsProxy);
        Proxy plain = proxy(httpProxy);
        if (secure == null && plain == null) {
            return null;
        }
        List<String> exceptions = noProxy == null ? List.of() : Arrays.stream(noProxy.split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
        return new ProxyRules(secure, plain, exceptions);
    }

    @Override
    public List<Proxy> select(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Proxy proxy = scheme.equals("https") || scheme.equals("wss") ? https : http;
        return proxy == null || bypassed(uri.getHost()) ? List.of(Proxy.NO_PROXY) : List.of(proxy);
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException failure) {
        // the caller reports the failure; nothing to remember
    }

    private boolean bypassed(String host) {
        if (host == null) {
            return true;
        }
        String h = host.toLowerCase(Locale.ROOT);
        for (String rule : noProxy) {
            String domain = rule.startsWith(".") ? rule.substring(1) : rule;
            if (rule.equals("*") || h.equals(domain) || h.endsWith("." + domain)) {
                return true;
            }
        }
        return false;
    }

    private static Proxy proxy(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        URI uri = URI.create(url.trim().contains("://") ? url.trim() : "http://" + url.trim());
        if (uri.getUserInfo() != null) {
            throw new IllegalArgumentException("proxy credentials in the proxy URL are not supported");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the proxy URL has no host");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(uri.getHost(), port));
    }
}
