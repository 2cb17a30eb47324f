package io.cragent.registry.ecr;

import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

import java.time.Instant;

/**
 * What one renewal yields: the role's temporary credentials (for the ECR API) and the registry login decoded from
 * the authorization token (for the registry). Both are used until {@code renewAt}.
 *
 * @param registryBase where the registry is, from the token's proxyEndpoint
 * @param expiresAt    the earlier of the token's and the role session's expiry
 */
public record EcrSession(AwsSessionCredentials credentials, String registryBase, String username, String password,
                         Instant expiresAt) {

    @Override
    public String toString() {
        return "EcrSession[" + registryBase + ", expiresAt=" + expiresAt + "]";
    }
}
