package io.cragent.agent.types.quay;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.agent.types.VendorApi;
import io.cragent.agent.types.VendorLister;
import io.cragent.agent.types.VendorPages;
import io.cragent.credentials.RegistryCredentials;
import io.cragent.registry.Listing;
import io.cragent.registry.RegistryClient;
import io.cragent.registry.RegistryClients;
import io.cragent.registry.RegistryEndpoint;
import io.cragent.registry.http.HttpCall;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Quay, when its catalog is refused: the REST API {@code GET /api/v1/repository?namespace=…}, paged by the
 * {@code next_page} token it returns. The API takes an OAuth application token, which Quay also accepts at the
 * registry as the password of the user {@code $oauthtoken}; robots ({@code org+name}) have the catalog only.
 */
public final class QuayApi extends VendorLister {
    static final String OAUTH_USER = "$oauthtoken";

    private final String configuredBase;

    /** @param configuredBase the REST API's base URL; empty: the registry's own origin */
    public QuayApi(RegistryClients clients, VendorApi api, String configuredBase) {
        super(clients, api);
        this.configuredBase = configuredBase == null ? "" : configuredBase.trim();
    }

    @Override
    protected Optional<Listing> list(RegistryClient client, RegistryCredentials credentials) {
        if (!OAUTH_USER.equals(credentials.username())) {
            return Optional.of(Listing.unsupported("the registry refuses its catalog to these credentials, and Quay's "
                    + "API needs an OAuth application token (user $oauthtoken, the token as password)"));
        }
        String namespace = client.endpoint().namespace().isEmpty() ? null : client.endpoint().namespace().split("/")[0];
        if (namespace == null) {
            return Optional.of(Listing.unsupported("Quay's API lists one namespace: give it in registryBase "
                    + "(quay.io/<namespace>)"));
        }
        RegistryEndpoint base = configuredBase.isEmpty()
                ? api.base(client.endpoint().scheme() + "://" + client.endpoint().authority()) : api.base(configuredBase);
        HttpCall first = HttpCall.get(base.at("api/v1/repository?namespace=" + VendorPages.segment(namespace)))
                .withHeader("Accept", "application/json").withAuthorization("Bearer " + credentials.password());
        Optional<Listing> listing = api.walk(first, "Quay's repository API",
                        page -> names(page.json().path("repositories")),
                        page -> Optional.of(page.json().path("next_page").asText(""))
                                .filter(token -> !token.isEmpty())
                                .map(token -> VendorPages.withQuery(page.uri(), "next_page", token)))
                .map(names -> new Listing(unqualified(client, names), null));
        return Optional.of(listing.orElse(Listing.unsupported("the registry refuses its catalog to these credentials "
                + "and has no Quay API")));
    }

    /** {@code namespace/name} of each repository. */
    private static List<String> names(JsonNode repositories) {
        List<String> out = new ArrayList<>();
        repositories.forEach(r -> out.add(r.path("namespace").asText() + "/" + r.path("name").asText()));
        return out;
    }
}
