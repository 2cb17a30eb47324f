package io.cragent.registry;

import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a registry's API lives, from {@code registryBase} ({@code [scheme://]host[:port][/path]}). The path is either
 * an API prefix (Artifactory's repository path) or a namespace put in front of repository names.
 */
public record RegistryEndpoint(String scheme, String authority, String apiPrefix, String namespace) {
    private static final Pattern BASE = Pattern.compile(
            "(?:(?<scheme>https?)://)?(?<authority>[A-Za-z0-9.-]+(?::\\d{1,5})?|\\[[0-9A-Fa-f:.]+\\](?::\\d{1,5})?)(?<path>(?:/[A-Za-z0-9._-]+)*)/?");
    private static final Map<String, String> ALIASES = Map.of("docker.io", "registry-1.docker.io",
            "index.docker.io", "registry-1.docker.io");

    /** What the path of registryBase means for a registry type. */
    public enum PathMeaning { API_PREFIX, NAMESPACE }

    public static RegistryEndpoint parse(String registryBase, PathMeaning pathMeaning, RegistrySettings settings) {
        Matcher m = BASE.matcher(registryBase == null ? "" : registryBase.trim());
        if (!m.matches()) {
            throw new AgentException(ErrorCode.REGISTRY_NOT_ALLOWED,
                    "registryBase must look like host[:port][/path]");
        }
        String authority = m.group("authority").toLowerCase(Locale.ROOT);
        authority = ALIASES.getOrDefault(authority, authority);
        boolean insecureAllowed = settings.insecureHosts().contains(authority);
        String scheme = m.group("scheme") == null ? (insecureAllowed ? "http" : "https") : m.group("scheme").toLowerCase(Locale.ROOT);
        if (scheme.equals("http") && !insecureAllowed) {
            throw new AgentException(ErrorCode.REGISTRY_NOT_ALLOWED, "plain http to " + authority
                    + " is not allowed; list the host in CR_AGENT_INSECURE_REGISTRIES or put TLS in front of it");
        }
        String path = m.group("path");
        RegistryEndpoint endpoint = pathMeaning == PathMeaning.API_PREFIX
                ? new RegistryEndpoint(scheme, authority, path, "")
                : new RegistryEndpoint(scheme, authority, "", path.isEmpty() ? "" : path.substring(1));
        endpoint.checkAddress(settings.allowLoopback());
        return endpoint;
    }

    /** {@code scheme://authority/<prefix>/v2/}. */
    public URI apiRoot() {
        return URI.create(scheme + "://" + authority + apiPrefix + "/v2/");
    }

    /** A URL below the API root; {@code pathAndQuery} is already encoded. */
    public URI api(String pathAndQuery) {
        return URI.create(scheme + "://" + authority + apiPrefix + "/v2/" + pathAndQuery);
    }

    /** A URL below the base, outside the v2 API: a vendor's REST API; {@code pathAndQuery} is already encoded. */
    public URI at(String pathAndQuery) {
        return URI.create(scheme + "://" + authority + apiPrefix + "/" + pathAndQuery);
    }

    public String host() {
        return URI.create(scheme + "://" + authority).getHost();
    }

    /** The repository name at the registry: the namespace prefix, then the name the SaaS uses. */
    public String qualify(String repository) {
        return namespace.isEmpty() ? repository : namespace + "/" + repository;
    }

    /** The name the SaaS uses for a registry repository, or null when it is outside the namespace. */
    public String unqualify(String registryName) {
        if (namespace.isEmpty()) {
            return registryName;
        }
        return registryName.startsWith(namespace + "/") ? registryName.substring(namespace.length() + 1) : null;
    }

    /**
     * Refuses addresses no registry lives at but an attacker would like us to reach: link-local (cloud metadata),
     * multicast, the unspecified address, and loopback unless allowed. Private ranges are fine: that is where
     * customers' registries are.
     */
    private void checkAddress(boolean allowLoopback) {
        String host = host();
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return; // the call itself will report the registry as unreachable
        }
        for (InetAddress address : addresses) {
            boolean forbidden = address.isLinkLocalAddress() || address.isMulticastAddress()
                    || address.isAnyLocalAddress() || address.isLoopbackAddress() && !allowLoopback;
            if (forbidden) {
                throw new AgentException(ErrorCode.REGISTRY_NOT_ALLOWED, "registryBase " + authority
                        + " resolves to an address the agent does not call (" + address.getHostAddress() + ")");
            }
        }
    }
}
