package io.cragent.agent.ecr;

import io.cragent.http.ProxyRules;
import io.cragent.registry.ecr.AwsClients;
import io.cragent.registry.ecr.EcrApi;
import io.cragent.registry.ecr.EcrSessions;
import io.cragent.registry.ecr.EcrSettings;
import io.cragent.registry.http.TlsTrust;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * The ECR beans (listed in {@code camel.main.configuration-classes}). The agent's own AWS identity is always the
 * SDK's default credential chain: environment, system properties, web identity, profile, container, instance.
 */
public class EcrConfiguration implements CamelConfiguration {
    @PropertyInject("cragent.ecr.sts-endpoint-override")
    private String stsEndpoint;
    @PropertyInject("cragent.ecr.api-endpoint-override")
    private String apiEndpoint;
    @PropertyInject("cragent.ecr.registry-endpoint-override")
    private String registryEndpoint;
    @PropertyInject("cragent.ecr.renew-margin-seconds")
    private long renewMargin;
    @PropertyInject("cragent.ecr.session-duration-seconds")
    private long sessionDuration;
    @PropertyInject("cragent.ecr.page-size")
    private int pageSize;
    @PropertyInject("cragent.ecr.max-attempts")
    private int maxAttempts;
    @PropertyInject("cragent.registry.page-cap")
    private int pageCap;
    @PropertyInject("cragent.registry.connect-timeout-seconds")
    private int connectTimeout;
    @PropertyInject("cragent.registry.request-timeout-seconds")
    private int callTimeout;
    @PropertyInject("cragent.registry.ca-cert")
    private String caCert;
    @PropertyInject("cragent.registry.node-extra-ca-certs")
    private String nodeExtraCaCerts;

    @PropertyInject(value = "cragent.proxy.https", defaultValue = "")
    private String httpsProxy;
    @PropertyInject(value = "cragent.proxy.http", defaultValue = "")
    private String httpProxy;
    @PropertyInject(value = "cragent.proxy.no-proxy", defaultValue = "")
    private String noProxy;

    private EcrApi ecrApi;

    @BindToRegistry
    public synchronized EcrApi ecrApi() {
        if (ecrApi == null) {
            EcrSettings settings = new EcrSettings(uri(stsEndpoint), uri(apiEndpoint),
                    isBlank(registryEndpoint) ? null : registryEndpoint.trim(), Duration.ofSeconds(renewMargin),
                    Duration.ofSeconds(sessionDuration), pageSize, pageCap, maxAttempts,
                    Duration.ofSeconds(connectTimeout), Duration.ofSeconds(callTimeout),
                    TlsTrust.caBundle(caCert, nodeExtraCaCerts), ProxyRules.configured(httpsProxy, httpProxy, noProxy));
            AwsClients aws = new AwsClients(settings, DefaultCredentialsProvider.builder().build());
            ecrApi = new EcrApi(new EcrSessions(aws, settings, Clock.systemUTC()), aws, settings);
        }
        return ecrApi;
    }

    @BindToRegistry
    public EcrLoginAttempt ecrLoginAttempt() {
        return new EcrLoginAttempt();
    }

    @BindToRegistry
    public EcrOperations ecrOperations() {
        return new EcrOperations(ecrApi());
    }

    private static URI uri(String value) {
        return isBlank(value) ? null : URI.create(value.trim());
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
