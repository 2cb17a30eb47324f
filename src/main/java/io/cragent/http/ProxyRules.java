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
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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

    /** {@link #of}, each setting falling back to its lower-case environment variable (https_proxy, ...). */
    public static ProxyRules of(String httpsProxy, String httpProxy, String noProxy, Map<String, String> env) {
        return of(firstSet(httpsProxy, env.get("https_proxy")), firstSet(httpProxy, env.get("http_proxy")),
                firstSet(noProxy, env.get("no_proxy")));
    }

    /**
     * For clients that take one proxy and host patterns (the AWS SDK): the https proxy (else the http one) as a URL,
     * and the NO_PROXY rules as regular expressions over host names.
     */
    public URI singleProxy() {
        InetSocketAddress address = (InetSocketAddress) (https != null ? https : http).address();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort());
    }

    public Set<String> noProxyPatterns() {
        return noProxy.stream().map(rule -> rule.equals("*") ? ".*"
                : "(.*\\.)?" + Pattern.quote(rule.startsWith(".") ? rule.substring(1) : rule))
                .collect(Collectors.toUnmodifiableSet());
    }

    private static String firstSet(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
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
