package io.cragent.broker.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cragent.broker.filter.AcceptRules;
import io.cragent.broker.link.Backoff;
import io.cragent.broker.link.BrokerLink;
import io.cragent.broker.link.LinkSettings;
import io.cragent.broker.substitution.Variables;
import io.cragent.metrics.HealthEndpoints;
import io.cragent.metrics.Metrics;
import io.cragent.registry.http.TlsTrust;
import io.cragent.http.ProxyRules;
import io.cragent.http.ServerTls;
import io.cragent.logging.Redactor;
import io.cragent.logging.RedactingTracer;
import io.cragent.http.ErrorBodyShape;
import io.cragent.http.JsonErrorsVertx;
import io.vertx.core.Vertx;
import org.apache.camel.BindToRegistry;
import org.apache.camel.spi.Tracer;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.StartupListener;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * The broker client's beans, built from {@code client.properties} (broker-protocol.md §2–3, §5–9). Properties are
 * fields, injected before any bean method runs; shared beans are made once whatever order Camel calls the methods in.
 * The websocket link starts when Camel has fully started and stops with it.
 */
public class BrokerClientConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerClientConfiguration.class);

    @PropertyInject("cragent.client.token")
    private String token;
    @PropertyInject("cragent.client.server-url")
    private String serverUrl;
    @PropertyInject("cragent.client.secondary-server-url")
    private String secondaryServerUrl;
    @PropertyInject("cragent.client.version")
    private String version;
    @PropertyInject("cragent.client.agent-url")
    private String agentUrl;
    @PropertyInject("cragent.client.client-url")
    private String clientUrl;
    @PropertyInject("cragent.client.cr-credentials")
    private String crCredentials;
    @PropertyInject("cragent.client.reconnect-initial-millis")
    private long reconnectInitial;
    @PropertyInject("cragent.client.reconnect-factor")
    private double reconnectFactor;
    @PropertyInject("cragent.client.reconnect-max-millis")
    private long reconnectMax;
    @PropertyInject("cragent.client.reconnect-retries")
    private int reconnectRetries;
    @PropertyInject("cragent.client.reconnect-jitter")
    private double reconnectJitter;
    @PropertyInject("cragent.client.exit-when-retries-exhausted")
    private boolean exitWhenExhausted;
    @PropertyInject("cragent.client.heartbeat-millis")
    private long heartbeat;
    @PropertyInject("cragent.client.pong-timeout-millis")
    private long pongTimeout;
    @PropertyInject("cragent.client.connect-timeout-millis")
    private long connectTimeout;
    @PropertyInject("cragent.client.ack-timeout-seconds")
    private long ackTimeout;
    @PropertyInject("cragent.client.post-timeout-millis")
    private long postTimeout;
    @PropertyInject("cragent.client.agent-response-timeout-seconds")
    private long agentResponseTimeout;
    @PropertyInject("cragent.client.connect-retries")
    private int connectRetries;
    @PropertyInject("cragent.client.connect-retry-delay-millis")
    private long connectRetryDelay;
    @PropertyInject("cragent.client.upstream-body-limit")
    private int upstreamBodyLimit;
    @PropertyInject("cragent.client.downstream-queue")
    private String downstreamQueue;
    @PropertyInject("cragent.client.validation-url")
    private String validationUrl;
    @PropertyInject("cragent.client.validation-method")
    private String validationMethod;
    @PropertyInject("cragent.client.validation-authorization")
    private String validationAuthorization;
    @PropertyInject("cragent.client.validation-basic-auth")
    private String validationBasicAuth;
    @PropertyInject("cragent.client.validation-timeout-millis")
    private long validationTimeout;

    @PropertyInject(value = "cragent.client.https-cert", defaultValue = "")
    private String httpsCert;
    @PropertyInject(value = "cragent.client.https-key", defaultValue = "")
    private String httpsKey;
    @PropertyInject("cragent.client.ca-cert")
    private String caCert;
    @PropertyInject("cragent.client.node-extra-ca-certs")
    private String nodeExtraCaCerts;
    @PropertyInject("cragent.client.https-proxy")
    private String httpsProxy;
    @PropertyInject("cragent.client.http-proxy")
    private String httpProxy;
    @PropertyInject("cragent.client.no-proxy")
    private String noProxy;
    @PropertyInject("cragent.client.accept")
    private String accept;
    @PropertyInject("cragent.client.substitution-allow-list")
    private String substitutionAllowList;
    @PropertyInject("cragent.client.disable-body-substitution")
    private boolean disableBodySubstitution;
    @PropertyInject("cragent.client.disable-header-substitution")
    private boolean disableHeaderSubstitution;
    @PropertyInject("cragent.client.remove-x-forwarded-headers")
    private boolean removeXForwardedHeaders;

    private volatile CamelContext camelContext;
    private RequestGate requestGate;
    private SSLContext sslContext;
    private BrokerLink brokerLink;
    private Metrics metrics;
    private LinkSettings linkSettings;

    /** HTTPS_CERT and HTTPS_KEY: the local port serves HTTPS (camel.server.use-global-ssl-context-parameters). */
    @Override
    public void configure(CamelContext camelContext) throws Exception {
        this.camelContext = camelContext;
        ServerTls.install(camelContext, httpsCert, httpsKey);
        BrokerLink link = brokerLink();
        camelContext.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                // the link starts once everything is up, below
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                link.start();
            }
        });
        camelContext.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                link.close();
            }
        }, true, true);
    }

    /** What the environment lacks or gets wrong for the client to start (a sentence), or null when it is complete. */
    public static String missingSettings(Map<String, String> env) {
        for (String name : new String[] {"BROKER_TOKEN", "BROKER_SERVER_URL", "CR_AGENT_URL"}) {
            if (isBlank(env.get(name))) {
                return name + " must be set (see broker-protocol.md section 10.4 for the client's settings)";
            }
        }
        String server = env.get("BROKER_SERVER_URL").trim();
        if (!server.startsWith("http://") && !server.startsWith("https://")) {
            return "BROKER_SERVER_URL must be an http:// or https:// URL";
        }
        return ServerTls.pairingProblem(env.get("HTTPS_CERT"), env.get("HTTPS_KEY"));
    }

    /** Camel's tracer with a redacting formatter; {@code CR_CLIENT_TRACE=true} switches tracing on. */
    /** The Vert.x instance under platform-http: requests its HTTP decoder refuses get the client's JSON errors. */
    @BindToRegistry(destroyMethod = "close")
    public Vertx vertx() {
        return new JsonErrorsVertx(ErrorBodyShape.CLIENT);
    }

    @BindToRegistry
    public Tracer tracer() {
        // The settings may come as properties, and CR_CREDENTIALS may be built from CR_TYPE, CR_USERNAME, ...
        Redactor.remember(token);
        Redactor.remember(credentials());
        return new RedactingTracer();
    }

    @BindToRegistry
    public synchronized BrokerLink brokerLink() {
        if (brokerLink == null) {
            ObjectNode metadata = Json.MAPPER.createObjectNode().put("version", version);
            metadata.putArray("capabilities").add("post-streams");
            metadata.put("identifier", sha256(token));
            metadata.set("filters", requestGate().rules());
            metadata.set("clientConfig", new ClientConfigMetadata(linkSettings().clientId(), version,
                    TlsTrust.caBundle(caCert, nodeExtraCaCerts) != null, proxies() != null,
                    accept != null && !accept.isBlank()).toJson());
            metadata.putArray("preflightChecks");
            brokerLink = new BrokerLink(linkSettings(), http(), metadata, new DownstreamDispatcher(() -> camelContext, downstreamQueue),
                    this::retriesExhausted);
        }
        return brokerLink;
    }

    /** The client's meters (the relayed-requests counters are written by the routes' micrometer endpoints). */
    @BindToRegistry("metricsRegistry")
    public io.micrometer.core.instrument.MeterRegistry metricsRegistry() {
        return metrics().registry();
    }

    private synchronized Metrics metrics() {
        if (metrics == null) {
            metrics = new Metrics();
            metrics.counter("cragent.client.reconnects", "Websocket reconnections to the broker server", brokerLink(),
                    BrokerLink::reconnects);
        }
        return metrics;
    }

    @BindToRegistry
    public HealthEndpoints healthEndpoints() {
        return new HealthEndpoints(metrics());
    }

    /** Readiness: a websocket to the broker server is open. */
    @BindToRegistry
    public LinkHealthCheck linkHealthCheck() {
        return new LinkHealthCheck(brokerLink());
    }

    /** The accept rules ({@code ACCEPT}, else the built-in container-registry-agent rules) and substitution. */
    @BindToRegistry
    public synchronized RequestGate requestGate() {
        if (requestGate == null) {
            AcceptRules rules = isBlank(accept) ? AcceptRules.containerRegistryAgent() : AcceptRules.fromFile(Path.of(accept.trim()));
            LOG.info("accept rules from {}", rules.source());
            requestGate = new AcceptListGate(rules, Variables.of(clientVariables()), new AcceptListGate.Options(
                    !disableBodySubstitution, !disableHeaderSubstitution, removeXForwardedHeaders,
                    Variables.allowList(substitutionAllowList), version));
        }
        return requestGate;
    }

    @BindToRegistry
    public Downstream downstream() {
        BlockingConnections connections = new BlockingConnections(sslContext(), proxies(),
                Duration.ofMillis(connectTimeout));
        return new Downstream(requestGate(), new AgentForwarder(connections, Duration.ofSeconds(agentResponseTimeout),
                connectRetries, Duration.ofMillis(connectRetryDelay)),
                new ResponseSender(linkSettings(), connections, Duration.ofMillis(postTimeout), connectRetries,
                        Duration.ofMillis(connectRetryDelay)));
    }

    @BindToRegistry
    public Upstream upstream() {
        return new Upstream(requestGate(), brokerLink(), upstreamBodyLimit);
    }

    @BindToRegistry
    public ClientChecks clientChecks() {
        String authorization = !isBlank(validationAuthorization) ? validationAuthorization
                : !isBlank(validationUrl) && isBlank(validationBasicAuth) ? credentials() : null;
        Map<String, String> secrets = new HashMap<>();
        secrets.put("CR_CREDENTIALS", credentials());
        secrets.put("BROKER_TOKEN", token);
        secrets.put("CR_PASSWORD", System.getenv("CR_PASSWORD"));
        secrets.put("CR_TOKEN", System.getenv("CR_TOKEN"));
        return new ClientChecks(brokerLink(), requestGate(), new ClientChecks.Validation(validationUrl,
                validationMethod, authorization, validationBasicAuth, Duration.ofMillis(validationTimeout), secrets),
                version, http(), proxies());
    }

    /**
     * An HTTP client for the websockets and the validation request, one each: HTTP/1.1, no redirects followed, the JVM's roots plus {@code CA_CERT} (else
     * {@code NODE_EXTRA_CA_CERTS}), the proxies of {@code HTTPS_PROXY}/{@code HTTP_PROXY} except for {@code NO_PROXY}.
     */
    private HttpClient http() {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofMillis(connectTimeout));
        SSLContext ssl = sslContext();
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        ProxyRules proxies = proxies();
        if (proxies != null) {
            builder.proxy(proxies);
        }
        return builder.build();
    }

    /** The JVM's roots plus {@code CA_CERT} (else {@code NODE_EXTRA_CA_CERTS}); null for the JVM's default. */
    private synchronized SSLContext sslContext() {
        Path bundle = TlsTrust.caBundle(caCert, nodeExtraCaCerts);
        if (sslContext == null && bundle != null) {
            sslContext = TlsTrust.sslContext(bundle);
        }
        return sslContext;
    }

    private ProxyRules proxies() {
        return ProxyRules.configured(httpsProxy, httpProxy, noProxy);
    }

    /**
     * Values for {@code ${VAR}} substitution: the environment, with the settings the client may have been given
     * as properties instead ({@code CR_AGENT_URL}, {@code BROKER_CLIENT_URL}, {@code CR_CREDENTIALS}).
     */
    public Map<String, String> clientVariables() {
        Map<String, String> variables = new HashMap<>(System.getenv());
        putIfSet(variables, "CR_AGENT_URL", agentUrl);
        putIfSet(variables, "BROKER_CLIENT_URL", clientUrl);
        putIfSet(variables, "CR_CREDENTIALS", credentials());
        return variables;
    }

    private String credentials() {
        return !isBlank(crCredentials) ? crCredentials.trim() : CrCredentials.from(System.getenv());
    }

    private synchronized LinkSettings linkSettings() {
        if (linkSettings == null) {
            if (isBlank(token) || isBlank(serverUrl)) {
                throw new IllegalStateException("BROKER_TOKEN and BROKER_SERVER_URL must be set");
            }
            URI primary = URI.create(serverUrl.trim());
            URI secondary = isBlank(secondaryServerUrl) ? primary : URI.create(secondaryServerUrl.trim());
            linkSettings = new LinkSettings(primary, secondary, token.trim(), UUID.randomUUID().toString(), version,
                    new Backoff(Duration.ofMillis(reconnectInitial), reconnectFactor, Duration.ofMillis(reconnectMax),
                            reconnectRetries, reconnectJitter),
                    Duration.ofMillis(heartbeat), Duration.ofMillis(pongTimeout), Duration.ofMillis(connectTimeout),
                    Duration.ofSeconds(ackTimeout), proxies());
        }
        return linkSettings;
    }

    private void retriesExhausted() {
        if (exitWhenExhausted) {
            LOG.error("no connection to the broker server after every retry; exiting");
            Thread exit = new Thread(() -> System.exit(1), "broker-client-exit");
            exit.start();
        }
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.trim().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putIfSet(Map<String, String> map, String key, String value) {
        if (!isBlank(value)) {
            map.put(key, value.trim());
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
