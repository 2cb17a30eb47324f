package io.cragent.agent;

import io.cragent.agent.callbacks.CallbackParts;
import io.cragent.agent.callbacks.CallbackPolicy;
import io.cragent.agent.callbacks.CallbackSender;
import io.cragent.agent.callbacks.CallbackSpool;
import io.cragent.agent.callbacks.DeliveryBackoff;
import io.cragent.agent.jobs.ImageScans;
import io.cragent.agent.jobs.JobSteps;
import io.cragent.agent.jobs.JobStore;
import io.cragent.agent.jobs.ScanRequestReader;
import io.cragent.agent.oci.OciOperations;
import io.cragent.agent.types.VendorApi;
import io.cragent.agent.types.digitalocean.DigitalOceanApi;
import io.cragent.agent.types.dockerhub.DockerHubApi;
import io.cragent.agent.types.github.GitHubApi;
import io.cragent.agent.types.gitlab.GitLabApi;
import io.cragent.agent.types.harbor.HarborApi;
import io.cragent.agent.types.nexus.NexusLister;
import io.cragent.agent.types.quay.QuayApi;
import io.cragent.credentials.CredentialsDecoder;
import io.cragent.credentials.RegistryCredentials;
import io.cragent.credentials.RegistryType;
import io.cragent.http.ErrorResponder;
import io.cragent.metrics.HealthEndpoints;
import io.cragent.metrics.Metrics;
import io.cragent.http.JsonResponder;
import io.cragent.http.ProxyRules;
import io.cragent.http.ServerTls;
import io.cragent.logging.RedactingTracer;
import io.cragent.http.RequestTarget;
import io.cragent.registry.RegistryClients;
import io.cragent.registry.RegistrySettings;
import io.cragent.registry.http.HttpSettings;
import io.cragent.registry.http.TlsTrust;
import io.cragent.scan.ImageScanner;
import io.cragent.scan.ScanSettings;
import io.cragent.scan.apps.AppAnalyzers;
import io.cragent.scan.layers.LayerCache;
import io.cragent.scan.os.OsPackages;
import io.cragent.http.ErrorBodyShape;
import io.cragent.http.JsonErrorsVertx;
import io.vertx.core.Vertx;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.Tracer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The agent's beans, built from {@code application.properties}; the routes refer to them by name. Properties are
 * fields, injected before any bean method runs; beans that others share are made once, whatever order Camel calls
 * the methods in.
 */
public class AgentConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(AgentConfiguration.class);

    @PropertyInject(value = "cragent.proxy.https", defaultValue = "")
    private String httpsProxy;
    @PropertyInject(value = "cragent.proxy.http", defaultValue = "")
    private String httpProxy;
    @PropertyInject(value = "cragent.proxy.no-proxy", defaultValue = "")
    private String noProxy;
    @PropertyInject(value = "cragent.agent.https-cert", defaultValue = "")
    private String httpsCert;
    @PropertyInject(value = "cragent.agent.https-key", defaultValue = "")
    private String httpsKey;
    @PropertyInject("cragent.registry.ca-cert")
    private String caCert;
    @PropertyInject("cragent.registry.node-extra-ca-certs")
    private String nodeExtraCaCerts;
    @PropertyInject("cragent.registry.connect-timeout-seconds")
    private int connectTimeout;
    @PropertyInject("cragent.registry.request-timeout-seconds")
    private int requestTimeout;
    @PropertyInject("cragent.registry.idle-timeout-seconds")
    private int idleTimeout;
    @PropertyInject("cragent.registry.retries")
    private int retries;
    @PropertyInject("cragent.registry.retry-backoff-millis")
    private long backoffMillis;
    @PropertyInject("cragent.registry.max-retry-after-seconds")
    private int maxRetryAfter;
    @PropertyInject("cragent.registry.page-size")
    private int pageSize;
    @PropertyInject("cragent.registry.page-cap")
    private int pageCap;
    @PropertyInject("cragent.registry.insecure-hosts")
    private String insecureHosts;
    @PropertyInject("cragent.registry.allow-loopback")
    private boolean allowLoopback;
    @PropertyInject("cragent.registry.realm-hosts")
    private String realmHosts;

    @PropertyInject("cragent.jobs.max-images")
    private int maxImages;
    @PropertyInject("cragent.scan.layer-cache-mb")
    private int layerCacheMb;
    @PropertyInject("cragent.jobs.state-dir")
    private String jobsDir;
    @PropertyInject("cragent.jobs.max-jobs")
    private int maxJobs;
    @PropertyInject("cragent.jobs.time-to-live-minutes")
    private long jobsTimeToLive;
    @PropertyInject("cragent.jobs.queue-full-retry-after-seconds")
    private int queueFullRetryAfter;
    @PropertyInject("cragent.callbacks.default-base")
    private String defaultCallbackBase;
    @PropertyInject("cragent.callbacks.allowed-hosts")
    private String callbackHosts;
    @PropertyInject("cragent.callbacks.correlation-headers")
    private String correlationHeaders;
    @PropertyInject("cragent.callbacks.spool-dir")
    private String spoolDir;
    @PropertyInject("cragent.callbacks.max-body-bytes")
    private int maxCallbackBytes;
    @PropertyInject("cragent.callbacks.initial-backoff-millis")
    private long initialBackoff;
    @PropertyInject("cragent.callbacks.max-backoff-seconds")
    private long maxBackoff;
    @PropertyInject("cragent.callbacks.max-age-hours")
    private long maxAge;
    @PropertyInject("cragent.callbacks.timeout-seconds")
    private long callbackTimeout;

    @PropertyInject(value = "cragent.health.registry-credentials", defaultValue = "")
    private String healthCredentials;
    @PropertyInject(value = "cragent.health.registry-base", defaultValue = "")
    private String healthBase;
    @PropertyInject(value = "cragent.health.registry-type", defaultValue = "docker-hub")
    private String healthType;
    @PropertyInject(value = "cragent.health.registry-username", defaultValue = "")
    private String healthUsername;
    @PropertyInject(value = "cragent.health.registry-password", defaultValue = "")
    private String healthPassword;
    @PropertyInject("cragent.health.registry-timeout-seconds")
    private int healthTimeout;

    private Metrics metrics;
    private RegistryClients registryClients;
    private ImageScans imageScans;
    private LayerCache layerCache;
    private JobStore jobStore;
    private CallbackSpool callbackSpool;
    private DeliveryBackoff deliveryBackoff;

    @PropertyInject(value = "cragent.vendor.harbor.api-base", defaultValue = "")
    private String harborApiBase;

    @PropertyInject("cragent.vendor.docker-hub.api-base")
    private String dockerHubApiBase;
    @PropertyInject("cragent.vendor.docker-hub.registry-hosts")
    private String dockerHubHosts;

    @PropertyInject(value = "cragent.vendor.quay.api-base", defaultValue = "")
    private String quayApiBase;

    @PropertyInject("cragent.vendor.digitalocean.api-base")
    private String digitalOceanApiBase;
    @PropertyInject("cragent.vendor.digitalocean.registry-hosts")
    private String digitalOceanHosts;
    @PropertyInject("cragent.vendor.github.api-base")
    private String gitHubApiBase;
    @PropertyInject("cragent.vendor.github.registry-hosts")
    private String gitHubHosts;
    @PropertyInject(value = "cragent.vendor.gitlab.api-base", defaultValue = "")
    private String gitLabApiBase;

    private VendorApi vendorApi;

    /** HTTPS_CERT and HTTPS_KEY: the API serves HTTPS (camel.server.use-global-ssl-context-parameters). */
    @Override
    public void configure(CamelContext camelContext) {
        ServerTls.install(camelContext, httpsCert, httpsKey);
    }

    /** Camel's tracer with a redacting formatter; {@code CR_AGENT_TRACE=true} switches tracing on. */
    /** The Vert.x instance under platform-http: requests its HTTP decoder refuses get the agent's JSON errors. */
    @BindToRegistry(destroyMethod = "close")
    public Vertx vertx() {
        return new JsonErrorsVertx(ErrorBodyShape.AGENT);
    }

    @BindToRegistry
    public Tracer tracer() {
        return new RedactingTracer();
    }

    @BindToRegistry
    public synchronized RegistryClients registryClients() {
        if (registryClients == null) {
            registryClients = new RegistryClients(registrySettings(), metrics());
        }
        return registryClients;
    }

    /** The agent's meters; the queue depth is the number of jobs accepted and not yet started. */
    @BindToRegistry("metricsRegistry")
    public io.micrometer.core.instrument.MeterRegistry metricsRegistry() {
        return metrics().registry();
    }

    private synchronized Metrics metrics() {
        if (metrics == null) {
            metrics = new Metrics();
            JobStore jobs = jobStore();
            metrics.gauge("cragent.jobs.queued", "Scan jobs waiting in the queue", jobs::queued);
            LayerCache layers = layerCache();
            metrics.counter("cragent.scan.layer.cache.hits", "Layers answered from the layer cache, not read",
                    layers, LayerCache::hits);
            metrics.counter("cragent.scan.layer.cache.misses", "Layers read and analysed (with a digest to keep)",
                    layers, LayerCache::misses);
            metrics.gauge("cragent.scan.layer.cache.bytes", "Estimated bytes the layer cache holds", layers::heldBytes);
        }
        return metrics;
    }

    /** The agent's one scanner's layer cache, here so that metrics can read it. */
    private synchronized LayerCache layerCache() {
        if (layerCache == null) {
            if (layerCacheMb < 0) {
                throw new IllegalArgumentException("CR_AGENT_LAYER_CACHE_MB must be 0 (off) or a number of MiB");
            }
            layerCache = new LayerCache(layerCacheMb * 1024L * 1024L);
        }
        return layerCache;
    }

    @BindToRegistry
    public HealthEndpoints healthEndpoints() {
        return new HealthEndpoints(metrics());
    }

    /** Readiness: the default registry of the agent's environment, probed once, without retries. */
    @BindToRegistry
    public RegistryHealthCheck registryHealthCheck() {
        RegistrySettings normal = registrySettings();
        Duration timeout = Duration.ofSeconds(healthTimeout);
        HttpSettings h = normal.http();
        HttpSettings probe = new HttpSettings(timeout, timeout, timeout, 0, h.backoffBase(), h.maxRetryAfter(),
                h.maxRedirects(), h.caBundle(), h.proxy());
        RegistrySettings settings = new RegistrySettings(probe, normal.pageSize(), normal.pageCap(),
                normal.manifestCap(), normal.configCap(), normal.maxIndexDepth(), normal.insecureHosts(),
                normal.allowLoopback(), normal.realmHosts());
        return new RegistryHealthCheck(new RegistryClients(settings), defaultCredentials());
    }

    private RegistryCredentials defaultCredentials() {
        if (!isBlank(healthCredentials)) {
            return new CredentialsDecoder().decode(healthCredentials.trim());
        }
        return isBlank(healthBase) ? null : RegistryCredentials.basic(RegistryType.fromName(healthType),
                isBlank(healthUsername) ? null : healthUsername, isBlank(healthPassword) ? null : healthPassword,
                healthBase.trim());
    }

    /** Vendor REST APIs over the registry transport, shared by every type's lister. */
    private synchronized VendorApi vendorApi() {
        if (vendorApi == null) {
            vendorApi = new VendorApi(registryClients().http(), registryClients().settings());
        }
        return vendorApi;
    }

    @BindToRegistry
    public HarborApi harborApi() {
        return new HarborApi(registryClients(), vendorApi(), harborApiBase);
    }

    @BindToRegistry
    public DockerHubApi dockerHubApi() {
        return new DockerHubApi(registryClients(), vendorApi(), dockerHubApiBase, list(dockerHubHosts));
    }

    @BindToRegistry
    public QuayApi quayApi() {
        return new QuayApi(registryClients(), vendorApi(), quayApiBase);
    }

    @BindToRegistry
    public NexusLister nexusLister() {
        return new NexusLister(registryClients(), vendorApi());
    }

    @BindToRegistry
    public DigitalOceanApi digitalOceanApi() {
        return new DigitalOceanApi(registryClients(), vendorApi(), digitalOceanApiBase, list(digitalOceanHosts));
    }

    @BindToRegistry
    public GitHubApi gitHubApi() {
        return new GitHubApi(registryClients(), vendorApi(), gitHubApiBase, list(gitHubHosts));
    }

    @BindToRegistry
    public GitLabApi gitLabApi() {
        return new GitLabApi(registryClients(), vendorApi(), gitLabApiBase);
    }

    @BindToRegistry
    public synchronized ImageScans imageScans() {
        if (imageScans == null) {
            imageScans = new ImageScans(registryClients(), new ImageScanner(ScanSettings.fromEnvironment(System.getenv()),
                    OsPackages.defaults(), AppAnalyzers.defaults(), layerCache()), metrics());
        }
        return imageScans;
    }

    @BindToRegistry
    public ScanRequestReader scanRequestReader() {
        return new ScanRequestReader(imageScans(), new CallbackPolicy(defaultCallbackBase, list(callbackHosts)), list(correlationHeaders).stream().toList(),
                maxImages);
    }

    @BindToRegistry
    public synchronized JobStore jobStore() {
        if (jobStore == null) {
            jobStore = new JobStore(Path.of(jobsDir), maxJobs, Duration.ofMinutes(jobsTimeToLive), Clock.systemUTC());
        }
        return jobStore;
    }

    @BindToRegistry
    public JobSteps jobSteps() {
        return new JobSteps(jobStore(), new CallbackParts(maxCallbackBytes),
                Duration.ofSeconds(queueFullRetryAfter));
    }

    @BindToRegistry
    public synchronized CallbackSpool callbackSpool() {
        if (callbackSpool == null) {
            callbackSpool = new CallbackSpool(Path.of(spoolDir), deliveryBackoff());
        }
        return callbackSpool;
    }

    @BindToRegistry
    public CallbackSender callbackSender() {
        return new CallbackSender(callbackSpool(), deliveryBackoff(), Duration.ofSeconds(callbackTimeout),
                Duration.ofHours(maxAge), TlsTrust.lazySslContext(TlsTrust.caBundle(caCert, nodeExtraCaCerts)), proxies(),
                metrics()::callbackRetry);
    }

    private synchronized DeliveryBackoff deliveryBackoff() {
        if (deliveryBackoff == null) {
            deliveryBackoff = new DeliveryBackoff(Duration.ofMillis(initialBackoff), Duration.ofSeconds(maxBackoff));
        }
        return deliveryBackoff;
    }

    @BindToRegistry
    public OciOperations ociOperations() {
        return new OciOperations(registryClients());
    }

    @BindToRegistry
    public AgentRequestReader agentRequestReader() {
        return new AgentRequestReader();
    }

    @BindToRegistry
    public JsonResponder jsonResponder() {
        return new JsonResponder();
    }

    @BindToRegistry
    public ErrorResponder errorResponder() {
        return new ErrorResponder();
    }

    @BindToRegistry
    public RequestTarget requestTarget() {
        return new RequestTarget();
    }

    @BindToRegistry
    public AgentInfo agentInfo() {
        return new AgentInfo();
    }

    /** One proxy selector for registries, token realms, vendor APIs and callbacks; null: direct. */
    private ProxyRules proxies() {
        return ProxyRules.configured(httpsProxy, httpProxy, noProxy);
    }

    private RegistrySettings registrySettings() {
        RegistrySettings defaults = RegistrySettings.defaults();
        HttpSettings http = new HttpSettings(Duration.ofSeconds(connectTimeout), Duration.ofSeconds(requestTimeout),
                Duration.ofSeconds(idleTimeout), retries, Duration.ofMillis(backoffMillis),
                Duration.ofSeconds(maxRetryAfter), defaults.http().maxRedirects(), TlsTrust.caBundle(caCert, nodeExtraCaCerts),
                proxies());
        return new RegistrySettings(http, pageSize, pageCap, defaults.manifestCap(), defaults.configCap(),
                defaults.maxIndexDepth(), list(insecureHosts), allowLoopback, list(realmHosts));
    }

    private static Set<String> list(String commaSeparated) {
        return isBlank(commaSeparated) ? Set.of() : Arrays.stream(commaSeparated.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(String::toLowerCase).collect(Collectors.toUnmodifiableSet());
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
