package io.cragent.agent.types.gitlab;

import io.cragent.agent.types.VendorApi;
import io.cragent.agent.types.VendorLister;
import io.cragent.agent.types.VendorPages;
import io.cragent.credentials.RegistryCredentials;
import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import io.cragent.registry.Listing;
import io.cragent.registry.RegistryClient;
import io.cragent.registry.RegistryClients;
import io.cragent.registry.RegistryEndpoint;
import io.cragent.registry.http.HttpCall;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * GitLab's registry has no catalog for users: repositories come from GitLab's REST API
 * ({@code /api/v4/projects/<path>/registry/repositories}, else {@code /groups/<path>/…}; needs {@code read_api}),
 * for the project or group named in registryBase, paged by {@code Link}. GitLab is where the registry's token
 * realm ({@code <gitlab>/jwt/auth}) is, unless configured. Credentials the API refuses list nothing, with the
 * reason. The registry's 5-minute JWTs are renewed by the generic flow on its 401.
 */
public final class GitLabApi extends VendorLister {
    private static final String JWT_PATH = "/jwt/auth";

    private final String configuredBase;

    /** @param configuredBase GitLab's URL; empty: the origin of the registry's {@code /jwt/auth} realm */
    public GitLabApi(RegistryClients clients, VendorApi api, String configuredBase) {
        super(clients, api);
        this.configuredBase = configuredBase == null ? "" : configuredBase.trim();
    }

    @Override
    protected Optional<Listing> list(RegistryClient client, RegistryCredentials credentials) {
        String path = client.endpoint().namespace();
        if (path.isEmpty()) {
            return Optional.of(Listing.unsupported("GitLab lists the repositories of a project or group: give it in "
                    + "registryBase (registry.gitlab.com/<group>[/<project>])"));
        }
        Optional<RegistryEndpoint> base = gitlab(client);
        if (base.isEmpty()) {
            return Optional.empty();
        }
        String id = VendorPages.segment(path);
        try {
            return repositories(base.get().at("api/v4/projects/" + id + "/registry/repositories?per_page=100"), credentials)
                    .or(() -> repositories(base.get().at("api/v4/groups/" + id + "/registry/repositories?per_page=100"),
                            credentials))
                    .map(names -> new Listing(unqualified(client, names), null));
        } catch (AgentException e) {
            if (e.code() == ErrorCode.AUTH_FAILED || e.code() == ErrorCode.ACCESS_DENIED) {
                return Optional.of(Listing.unsupported("GitLab's API refused these credentials (a token with read_api "
                        + "lists repositories); give images by name"));
            }
            throw e;
        }
    }

    private Optional<List<String>> repositories(URI first, RegistryCredentials credentials) {
        HttpCall call = HttpCall.get(first).withHeader("PRIVATE-TOKEN", credentials.password() == null ? "" : credentials.password())
                .withHeader("Accept", "application/json");
        return api.walk(call, "GitLab's registry API", page -> VendorApi.texts(page.json(), "path"),
                page -> page.linkNext().or(() -> page.headers().firstValue("X-Next-Page").filter(n -> !n.isBlank())
                        .map(n -> VendorPages.withQuery(page.uri(), "page", n.trim()))));
    }

    /** GitLab's base: configured, or where the registry's {@code /jwt/auth} realm is (checked as realms are). */
    private Optional<RegistryEndpoint> gitlab(RegistryClient client) {
        if (!configuredBase.isEmpty()) {
            return Optional.of(api.base(configuredBase));
        }
        return api.realm(client.endpoint().apiRoot())
                .filter(realm -> realm.getPath().endsWith(JWT_PATH))
                .map(realm -> clients.realms().check(realm.toString(), client.endpoint().apiRoot()))
                .map(realm -> {
                    String prefix = realm.getRawPath().substring(0, realm.getRawPath().length() - JWT_PATH.length());
                    return api.base(realm.getScheme() + "://" + realm.getRawAuthority() + prefix);
                });
    }
}
