package io.cragent.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code HTTPS_PROXY}/{@code HTTP_PROXY}/{@code NO_PROXY} as snyk's client reads them, for every outbound
 * connection of the agent and the client: https and wss through the https proxy, http and ws through the http proxy, hosts in
 * {@code NO_PROXY} (exact, a {@code .domain} or {@code domain} suffix, or {@code *}) directly.
 * <p>
 * A proxy URL may carry credentials ({@code http://user:password@proxy:3128}, percent-encoded), sent as
 * {@code Proxy-Authorization: Basic}: by the JDK's HTTP client preemptively, through {@link #authorization(URI)} on
 * each request (it copies the header onto {@code CONNECT}, see {@link ProxyTunnels}); by {@code HttpURLConnection}
 * (the AWS SDK, the client's relay) through the JVM's default authenticator, which {@link #of} installs, since that
 * class never copies a request header onto {@code CONNECT}. The credentials are secrets for the {@code Redactor};
 * {@link #toString()} shows the proxies without them.
 */
public final class ProxyRules extends ProxySelector {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyRules.class);
    /** The process's proxy settings, parsed once: every bean of a process that connects out shares them. */
    private static final Map<List<String>, Optional<ProxyRules>> CONFIGURED = new ConcurrentHashMap<>();

    private final ProxyEndpoint https;
    private final ProxyEndpoint http;
    private final List<String> noProxy;

    private ProxyRules(ProxyEndpoint https, ProxyEndpoint http, List<String> noProxy) {
        this.https = https;
        this.http = http;
        this.noProxy = noProxy;
    }

    /** Null when no proxy is configured. */
    public static ProxyRules of(String httpsProxy, String httpProxy, String noProxy) {
        ProxyEndpoint secure = ProxyEndpoint.parse(httpsProxy, "HTTPS_PROXY");
        ProxyEndpoint plain = ProxyEndpoint.parse(httpProxy, "HTTP_PROXY");
        if (secure == null && plain == null) {
            return null;
        }
        List<String> exceptions = noProxy == null ? List.of() : Arrays.stream(noProxy.split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
        ProxyRules rules = new ProxyRules(secure, plain, exceptions);
        if (rules.hasCredentials()) {
            Authenticator.setDefault(new ProxyAuthenticator(rules.endpoints().toList()));
        }
        return rules;
    }

    /**
     * The proxies of the process's settings, each falling back to its lower-case environment variable; parsed,
     * announced in the log (without credentials) and given their authenticator once per process, whichever beans
     * ask. Null when no proxy is set.
     */
    public static ProxyRules configured(String httpsProxy, String httpProxy, String noProxy) {
        Map<String, String> env = System.getenv();
        List<String> settings = Arrays.asList(firstSet(httpsProxy, env.get("https_proxy")),
                firstSet(httpProxy, env.get("http_proxy")), firstSet(noProxy, env.get("no_proxy")));
        return CONFIGURED.computeIfAbsent(settings, s -> {
            Optional<ProxyRules> rules = Optional.ofNullable(of(s.get(0), s.get(1), s.get(2)));
            rules.ifPresent(r -> LOG.info("outbound proxies: {}", r));
            return rules;
        }).orElse(null);
    }

    /** {@link #of}, each setting falling back to its lower-case environment variable (https_proxy, ...). */
    public static ProxyRules of(String httpsProxy, String httpProxy, String noProxy, Map<String, String> env) {
        return of(firstSet(httpsProxy, env.get("https_proxy")), firstSet(httpProxy, env.get("http_proxy")),
                firstSet(noProxy, env.get("no_proxy")));
    }

    /**
     * For clients that take one proxy and host patterns (the AWS SDK): the https proxy (else the http one) as a URL
     * without credentials, and the NO_PROXY rules as regular expressions over host names.
     */
    public URI singleProxy() {
        return (https != null ? https : http).url();
    }

    public Set<String> noProxyPatterns() {
        return noProxy.stream().map(rule -> rule.equals("*") ? ".*"
                : "(.*\\.)?" + Pattern.quote(rule.startsWith(".") ? rule.substring(1) : rule))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The {@code Proxy-Authorization} value for a request to {@code uri}, when it goes through a proxy with credentials. */
    public Optional<String> authorization(URI uri) {
        return through(uri).map(ProxyEndpoint::authorization);
    }

    /**
     * An {@code HttpURLConnection} to {@code uri}, through its proxy. A plain-http request through a proxy with
     * credentials carries them preemptively (a streamed body cannot be sent again after a {@code 407}); a
     * {@code CONNECT} gets them from the default authenticator, as that class sends no request header there.
     */
    public HttpURLConnection open(URI uri) throws IOException {
        Optional<ProxyEndpoint> proxy = through(uri);
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(
                proxy.map(ProxyEndpoint::proxy).orElse(Proxy.NO_PROXY));
        if (!isSecure(uri)) {
            proxy.map(ProxyEndpoint::authorization).ifPresent(value -> connection.setRequestProperty("Proxy-Authorization", value));
        }
        return connection;
    }

    /** The proxy a request to {@code uri} goes through, without credentials, for messages; empty when direct. */
    public Optional<URI> proxyFor(URI uri) {
        return through(uri).map(ProxyEndpoint::url);
    }

    /** Null-safe {@link #authorization} for holders of an optional selector. */
    public static Optional<String> authorization(ProxyRules rules, URI uri) {
        return rules == null ? Optional.empty() : rules.authorization(uri);
    }

    /**
     * Why a {@code 407 Proxy Authentication Required} came back for {@code uri}, naming the proxy (never its
     * credentials) and the setting to fix.
     */
    public String refusal(URI uri) {
        Optional<ProxyEndpoint> proxy = through(uri);
        if (proxy.isEmpty()) {
            return "HTTP 407 Proxy Authentication Required from " + uri.getAuthority() + ", which is not a configured proxy";
        }
        ProxyEndpoint p = proxy.get();
        return p.authorization() == null
                ? "the proxy " + p.url() + " requires credentials (HTTP 407); put them in " + p.setting()
                        + " as http://user:password@host:port"
                : "the proxy " + p.url() + " refused the credentials in " + p.setting() + " (HTTP 407)";
    }

    /** Null-safe {@link #refusal}. */
    public static String refusal(ProxyRules rules, URI uri) {
        return rules == null ? "HTTP 407 Proxy Authentication Required from " + uri.getAuthority()
                + ", but no proxy is configured" : rules.refusal(uri);
    }

    public boolean hasCredentials() {
        return endpoints().anyMatch(e -> e.authorization() != null);
    }

    private Optional<ProxyEndpoint> through(URI uri) {
        ProxyEndpoint endpoint = isSecure(uri) ? https : http;
        return endpoint == null || bypassed(uri.getHost()) ? Optional.empty() : Optional.of(endpoint);
    }

    private Stream<ProxyEndpoint> endpoints() {
        return Stream.of(https, http).filter(e -> e != null);
    }

    private static String firstSet(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    @Override
    public List<Proxy> select(URI uri) {
        return through(uri).map(e -> List.of(e.proxy())).orElse(List.of(Proxy.NO_PROXY));
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException failure) {
        // the caller reports the failure; nothing to remember
    }

    /** The proxies without their credentials, for the start-up log. */
    @Override
    public String toString() {
        return "https and wss " + (https == null ? "direct" : "through " + https) + ", http and ws "
                + (http == null ? "direct" : "through " + http) + (noProxy.isEmpty() ? "" : ", direct to " + noProxy);
    }

    private static boolean isSecure(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals("https") || scheme.equals("wss");
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

    /** Parses without echoing the URL: it may hold a password. */
    static URI parseProxyUrl(String url, String setting) {
        String trimmed = url.trim();
        try {
            return new URI(trimmed.contains("://") ? trimmed : "http://" + trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(setting + " is not a valid URL (characters such as @ : / # % in the "
                    + "user or password must be percent-encoded)");
        }
    }
}
