package io.cragent.registry.ecr;

import io.cragent.registry.http.TlsTrust;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.ProxyConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.sts.StsClient;

import javax.net.ssl.TrustManager;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SDK clients, one STS and one ECR client per region, sharing one HTTP client (the JDK's URL connection: no
 * Netty, no Apache client). STS calls sign with the agent's own identity; ECR calls carry the assumed role's
 * credentials per request. Throttling and 5xx are retried by the SDK's standard strategy.
 */
public final class AwsClients implements AutoCloseable {
    private final EcrSettings settings;
    private final AwsCredentialsProvider agentIdentity;
    private final SdkHttpClient http;
    private final Map<String, StsClient> sts = new ConcurrentHashMap<>();
    private final Map<String, EcrClient> ecr = new ConcurrentHashMap<>();

    public AwsClients(EcrSettings settings, AwsCredentialsProvider agentIdentity) {
        this.settings = settings;
        this.agentIdentity = agentIdentity;
        UrlConnectionHttpClient.Builder http = UrlConnectionHttpClient.builder()
                .connectionTimeout(settings.connectTimeout())
                .socketTimeout(settings.callTimeout());
        if (settings.caBundle() != null) {
            TrustManager[] trust = {TlsTrust.trustManager(settings.caBundle())};
            http.tlsTrustManagersProvider(() -> trust);
        }
        if (settings.proxies() != null) {
            // No username and password here: the SDK would only send them as a request header, which the JDK never
            // copies onto CONNECT. The proxy's credentials come from the JVM's authenticator (ProxyRules.of).
            http.proxyConfiguration(ProxyConfiguration.builder().endpoint(settings.proxies().singleProxy())
                    .nonProxyHosts(settings.proxies().noProxyPatterns()).useSystemPropertyValues(false)
                    .useEnvironmentVariablesValues(false).build());
        }
        this.http = http.build();
    }

    public StsClient sts(String region) {
        return sts.computeIfAbsent(region, r -> {
            var builder = StsClient.builder().region(Region.of(r)).httpClient(http)
                    .credentialsProvider(agentIdentity).overrideConfiguration(this::callLimits);
            if (settings.stsEndpoint() != null) {
                builder.endpointOverride(settings.stsEndpoint());
            }
            return builder.build();
        });
    }

    /** Calls need {@code overrideConfiguration(credentialsProvider(...))} with the role's credentials. */
    public EcrClient ecr(String region) {
        return ecr.computeIfAbsent(region, r -> {
            var builder = EcrClient.builder().region(Region.of(r)).httpClient(http)
                    .credentialsProvider(agentIdentity).overrideConfiguration(this::callLimits);
            if (settings.ecrEndpoint() != null) {
                builder.endpointOverride(settings.ecrEndpoint());
            }
            return builder.build();
        });
    }

    private void callLimits(ClientOverrideConfiguration.Builder config) {
        config.apiCallTimeout(settings.callTimeout().multipliedBy(Math.max(1, settings.maxAttempts())))
                .apiCallAttemptTimeout(settings.callTimeout())
                .retryStrategy(retry -> retry.maxAttempts(Math.max(1, settings.maxAttempts())));
    }

    @Override
    public void close() {
        sts.values().forEach(StsClient::close);
        ecr.values().forEach(EcrClient::close);
        http.close();
    }
}
