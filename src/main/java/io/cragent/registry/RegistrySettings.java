package io.cragent.registry;

import io.cragent.registry.http.HttpSettings;

import java.util.Set;

/**
 * How the agent talks to registries; every field comes from {@code application.properties}.
 *
 * @param insecureHosts   {@code host[:port]} that may be reached over plain http
 * @param allowLoopback   whether a registryBase may name this machine (off in production: SSRF)
 * @param realmHosts      token realm hosts trusted for any registry (Docker Hub, Azure AD, Google)
 */
public record RegistrySettings(HttpSettings http, int pageSize, int pageCap, int manifestCap, int configCap,
                               int maxIndexDepth, Set<String> insecureHosts, boolean allowLoopback,
                               Set<String> realmHosts) {

    public static RegistrySettings defaults() {
        return new RegistrySettings(HttpSettings.defaults(), 1000, 10_000, 4 * 1024 * 1024, 8 * 1024 * 1024, 4,
                Set.of(), false, Set.of("auth.docker.io", "login.microsoftonline.com", "oauth2.googleapis.com"));
    }
}
