package io.cragent.agent.types.nexus;

import io.cragent.agent.types.VendorApi;
import io.cragent.agent.types.VendorLister;
import io.cragent.credentials.RegistryCredentials;
import io.cragent.registry.Listing;
import io.cragent.registry.RegistryClient;
import io.cragent.registry.RegistryClients;

import java.util.Optional;

/**
 * Nexus Repository: the catalog of the connector, paged by {@code last} when a page comes without {@code Link}
 * (group repositories send none) until a page brings nothing new.
 */
public final class NexusLister extends VendorLister {

    public NexusLister(RegistryClients clients, VendorApi api) {
        super(clients, api);
    }

    @Override
    protected Optional<Listing> list(RegistryClient client, RegistryCredentials credentials) {
        return Optional.of(client.listRepositories(true));
    }
}
