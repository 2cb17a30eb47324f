package io.cragent.registry.ecr;

import io.cragent.http.ProxyRules;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the agent reaches AWS for ECR.
 *
 * @param stsEndpoint              null: the regional STS endpoint of the credentials' region
 * @param ecrEndpoint              null: the regional ECR API endpoint
 * @param registryEndpointOverride null: the registry named by the authorization token (tests point it elsewhere)
 * @param renewMargin              how long before expiry a session is renewed
 * @param sessionDuration          requested lifetime of the assumed-role session
 * @param pageSize                 maxResults asked of the ECR listing APIs (1 to 1000)
 * @param pageCap                  most pages one listing follows
 * @param maxAttempts              SDK attempts per call, throttling and 5xx included
 * @param caBundle                 extra trusted CAs (CA_CERT), null for the JVM's roots only
 * @param proxies                  HTTPS_PROXY/HTTP_PROXY/NO_PROXY, null for direct connections
 */
public record EcrSettings(URI stsEndpoint, URI ecrEndpoint, String registryEndpointOverride, Duration renewMargin,
                          Duration sessionDuration, int pageSize, int pageCap, int maxAttempts,
                          Duration connectTimeout, Duration callTimeout, Path caBundle,
                          ProxyRules proxies) {
}
