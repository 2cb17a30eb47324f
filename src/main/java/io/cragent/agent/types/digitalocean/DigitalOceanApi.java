package io.cragent.agent.types.digitalocean;

import io.cragent.agent.types.VendorApi;
import io.cragent.agent.types.VendorLister;
import io.cragent.agent.types.VendorPages;
import io.cragent.credentials.RegistryCredentials;
import io.cragent.registry.Listing;
import io.cragent.registry.RegistryClient;
import io.cragent.registry.RegistryClients;
import io.cragent.registry.http.HttpCall;

import java.util.Optional;
import java.util.Set;

/**
 * DigitalOcean Container Registry: {@code registry.digitalocean.com/<registry>} (the path names the registry),
 * the API token both user name and password at the registry and the Bearer token of the DO API, which lists the
 * registry's repositories ({@code GET /v2/registry/<registry>/repositoriesV2}, paged by {@code links.pages.next}).
 */
public final class DigitalOceanApi extends VendorLister {
    private static final int PAGE_SIZE = 100;

    private final String apiBase;
    private final Set<String> registryHosts;

    public DigitalOceanApi(RegistryClients clients, VendorApi api, String apiBase, Set<String> registryHosts) {
        super(clients, api);
        this.apiBase = apiBase;
        this.registryHosts = registryHosts;
    }

    @Override
    protected Optional<Listing> list(RegistryClient client, RegistryCredentials credentials) {
        if (!isOneOf(client.endpoint().authority(), registryHosts)) {
            return Optional.empty();
        }
        String namespace = client.endpoint().namespace();
        if (namespace.isEmpty()) {
            return Optional.of(Listing.unsupported("name the registry in registryBase "
                    + "(registry.digitalocean.com/<registry>)"));
        }
        String registryName = namespace.split("/")[0];
        HttpCall first = HttpCall.get(api.base(apiBase).at("v2/registry/" + VendorPages.segment(registryName)
                        + "/repositoriesV2?per_page=" + PAGE_SIZE))
                .withHeader("Accept", "application/json").withAuthorization("Bearer " + credentials.password());
        return api.walk(first, "the DigitalOcean API",
                        page -> VendorApi.texts(page.json().path("repositories"), "name").stream()
                                .map(name -> registryName + "/" + name).toList(),
                        page -> VendorApi.link(page, page.json().path("links").path("pages").path("next")))
                .map(names -> new Listing(unqualified(client, names), null));
    }
}
