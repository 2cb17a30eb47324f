package io.cragent.registry;

import io.cragent.credentials.RegistryCredentials;
import io.cragent.credentials.RegistryType;
import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import io.cragent.registry.auth.RealmPolicy;
import io.cragent.registry.auth.RegistryAuthenticator;
import io.cragent.registry.http.RegistryHttp;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands out a {@link RegistryClient} per set of credentials, keeping it (and so its token cache) for later requests
 * with the same credentials. One HTTP client, and so one connection pool, serves them all.
 */
public final class RegistryClients {
    private static final int MAX_CACHED = 256;

    private final RegistrySettings settings;
    private final RegistryHttp http;
    private final RealmPolicy realms;
    private final RegistryObserver observer;
    private final Map<Key, RegistryClient> clients = new ConcurrentHashMap<>();

    public RegistryClients(RegistrySettings settings) {
        this(settings, RegistryObserver.NONE);
    }

    /** @param observer told of error statuses and pulled bytes (metrics) */
    public RegistryClients(RegistrySettings settings, RegistryObserver observer) {
        this.settings = settings;
        this.observer = observer;
        this.http = new RegistryHttp(settings.http(),
                uri -> settings.insecureHosts().contains(uri.getAuthority().toLowerCase(java.util.Locale.ROOT)),
                settings.allowLoopback());
        this.realms = new RealmPolicy(settings.realmHosts());
    }

    public RegistrySettings settings() {
        return settings;
    }

    /** The one transport (pool, retries, timeouts, trust) for registries, token services and vendor APIs. */
    public RegistryHttp http() {
        return http;
    }

    public RealmPolicy realms() {
        return realms;
    }

    /** A client for registries addressed by {@code registryBase} with username and password. */
    public RegistryClient forCredentials(RegistryCredentials credentials, RegistryEndpoint.PathMeaning pathMeaning) {
        if (credentials.registryBase() == null) {
            throw new AgentException(ErrorCode.INVALID_CREDENTIALS, "registry credentials need registryBase");
        }
        RegistryEndpoint endpoint = RegistryEndpoint.parse(credentials.registryBase(), pathMeaning, settings);
        return forEndpoint(endpoint, credentials.username(), credentials.password());
    }

    public RegistryClient forEndpoint(RegistryEndpoint endpoint, String username, String password) {
        Key key = new Key(endpoint, username,
                Digests.sha256(Objects.toString(password, "").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        if (clients.size() > MAX_CACHED) {
            clients.clear(); // rare: many distinct credentials; tokens are simply fetched again
        }
        return clients.computeIfAbsent(key, k -> {
            RegistryAuthenticator auth = new RegistryAuthenticator(endpoint.apiRoot(), username, password, http,
                    realms, Clock.systemUTC());
            return new RegistryClient(endpoint, new RegistryCaller(http, auth, settings.http().maxRetries(), observer), settings,
                    observer);
        });
    }

    /** How a type reads the path of registryBase: Artifactory's is an API prefix, everyone else's a namespace. */
    public static RegistryEndpoint.PathMeaning pathMeaning(RegistryType type) {
        return type == RegistryType.ARTIFACTORY_CR ? RegistryEndpoint.PathMeaning.API_PREFIX
                : RegistryEndpoint.PathMeaning.NAMESPACE;
    }

    /** The password's digest and not the password: the key must not keep the secret in a second place. */
    private record Key(RegistryEndpoint endpoint, String username, String passwordDigest) {
    }
}
