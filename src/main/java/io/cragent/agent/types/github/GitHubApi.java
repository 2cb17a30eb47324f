package io.cragent.agent.types.github;

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

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * GitHub Container Registry has no catalog: container packages come from GitHub's REST API with the PAT
 * ({@code read:packages}): {@code /orgs/<owner>/packages} or {@code /users/<owner>/packages} for the owner in
 * registryBase ({@code ghcr.io/<owner>}), else {@code /user/packages}; paged by {@code Link}. Credentials the API
 * refuses list nothing, with the reason.
 */
public final class GitHubApi extends VendorLister {
    private static final String QUERY = "packages?package_type=container&per_page=100";

    private final String apiBase;
    private final Set<String> registryHosts;

    public GitHubApi(RegistryClients clients, VendorApi api, String apiBase, Set<String> registryHosts) {
        super(clients, api);
        this.apiBase = apiBase;
        this.registryHosts = registryHosts;
    }

    @Override
    protected Optional<Listing> list(RegistryClient client, RegistryCredentials credentials) {
        if (!isOneOf(client.endpoint().authority(), registryHosts)) {
            return Optional.empty();
        }
        RegistryEndpoint base = api.base(apiBase);
        String namespace = client.endpoint().namespace();
        String auth = "Bearer " + credentials.password();
        try {
            Optional<List<String>> names;
            if (namespace.isEmpty()) {
                names = packages(base.at("user/" + QUERY), auth, null);
            } else {
                String owner = namespace.split("/")[0];
                names = packages(base.at("orgs/" + VendorPages.segment(owner) + "/" + QUERY), auth, owner)
                        .or(() -> packages(base.at("users/" + VendorPages.segment(owner) + "/" + QUERY), auth, owner));
            }
            return names.map(found -> new Listing(unqualified(client, found), null));
        } catch (AgentException e) {
            if (e.code() == ErrorCode.AUTH_FAILED || e.code() == ErrorCode.ACCESS_DENIED) {
                return Optional.of(Listing.unsupported("GitHub's packages API refused these credentials (a classic "
                        + "token with read:packages lists them); give images by name"));
            }
            throw e;
        }
    }

    /** {@code owner/name} of every container package; the owner from each package when none is given. */
    private Optional<List<String>> packages(java.net.URI first, String auth, String owner) {
        HttpCall call = HttpCall.get(first).withAuthorization(auth).withHeader("Accept", "application/vnd.github+json")
                .withHeader("X-GitHub-Api-Version", "2022-11-28");
        return api.walk(call, "GitHub's packages API", page -> {
            List<String> out = new java.util.ArrayList<>();
            page.json().forEach(p -> out.add((owner != null ? owner : p.path("owner").path("login").asText())
                    + "/" + p.path("name").asText()));
            return out;
        }, VendorApi.Page::linkNext);
    }
}
