package io.cragent.agent;

import io.cragent.agent.oci.OciOperations;
import io.cragent.http.ErrorResponder;
import io.cragent.http.JsonResponder;
import io.cragent.registry.RegistryClients;
import io.cragent.registry.RegistrySettings;
import io.cragent.registry.http.HttpSettings;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The agent's beans, built from {@code application.properties}; the routes refer to them by name. */
public class AgentConfiguration implements CamelConfiguration {

    @BindToRegistry
    public RegistrySettings registrySettings(
            @PropertyInject("cragent.registry.ca-cert") String caCert,
            @PropertyInject("cragent.registry.node-extra-ca-certs") String nodeExtraCaCerts,
            @PropertyInject("cragent.registry.connect-timeout-seconds") int connectTimeout,
            @PropertyInject("cragent.registry.request-timeout-seconds") int requestTimeout,
            @PropertyInject("cragent.registry.idle-timeout-seconds") int idleTimeout,
            @PropertyInject("cragent.registry.retries") int retries,
            @PropertyInject("cragent.registry.retry-backoff-millis") long backoffMillis,
            @PropertyInject("cragent.registry.max-retry-after-seconds") int maxRetryAfter,
            @PropertyInject("cragent.registry.page-size") int pageSize,
            @PropertyInject("cragent.registry.page-cap") int pageCap,
            @PropertyInject("cragent.registry.insecure-hosts") String insecureHosts,
            @PropertyInject("cragent.registry.allow-loopback") boolean allowLoopback,
            @PropertyInject("cragent.registry.realm-hosts") String realmHosts,
            @PropertyInject("cragent.registry.linkless-hosts") String linklessHosts) {
        RegistrySettings defaults = RegistrySettings.defaults();
        String bundle = !isBlank(caCert) ? caCert : nodeExtraCaCerts;
        HttpSettings http = new HttpSettings(Duration.ofSeconds(connectTimeout), Duration.ofSeconds(requestTimeout),
                Duration.ofSeconds(idleTimeout), retries, Duration.ofMillis(backoffMillis),
                Duration.ofSeconds(maxRetryAfter), defaults.http().maxRedirects(), isBlank(bundle) ? null : Path.of(bundle));
        return new RegistrySettings(http, pageSize, pageCap, defaults.manifestCap(), defaults.configCap(),
                defaults.maxIndexDepth(), list(insecureHosts), allowLoopback, list(realmHosts), list(linklessHosts));
    }

    @BindToRegistry
    public RegistryClients registryClients(@BeanInject RegistrySettings registrySettings) {
        return new RegistryClients(registrySettings);
    }

    @BindToRegistry
    public OciOperations ociOperations(@BeanInject RegistryClients registryClients) {
        return new OciOperations(registryClients);
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
    public AgentInfo agentInfo() {
        return new AgentInfo();
    }

    private static Set<String> list(String commaSeparated) {
        return isBlank(commaSeparated) ? Set.of() : Arrays.stream(commaSeparated.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(String::toLowerCase).collect(Collectors.toUnmodifiableSet());
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
