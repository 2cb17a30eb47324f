package io.cragent.agent.types;

import io.cragent.agent.AgentRequest;
import io.cragent.credentials.RegistryCredentials;
import io.cragent.http.JsonResponder;
import io.cragent.registry.Listing;
import io.cragent.registry.RegistryClient;
import io.cragent.registry.RegistryClients;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

import java.util.Base64;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lists a registry's repositories through its vendor's API. The route set of the type calls
 * {@link #listRepositories}; a null body sends the request on to the generic catalog listing.
 */
public abstract class VendorLister {
    protected final RegistryClients clients;
    protected final VendorApi api;

    protected VendorLister(RegistryClients clients, VendorApi api) {
        this.clients = clients;
        this.api = api;
    }

    /**
     * The repositories, as the SaaS names them (without the registryBase namespace); empty when the vendor API is
     * not there for this registry, and the catalog should answer instead.
     */
    protected abstract Optional<Listing> list(RegistryClient client, RegistryCredentials credentials);

    /** The names; {@code []} with an {@code X-Listing-Unsupported} reason; or null: ask the catalog. */
    public List<String> listRepositories(@ExchangeProperty(AgentRequest.PROPERTY) AgentRequest request,
                                         Exchange exchange) {
        RegistryCredentials credentials = request.credentials();
        RegistryClient client = clients.forCredentials(credentials, RegistryClients.pathMeaning(credentials.type()));
        Optional<Listing> listing = list(client, credentials);
        if (listing.isEmpty()) {
            return null;
        }
        if (listing.get().unsupportedReason() != null) {
            exchange.setProperty(JsonResponder.RESPONSE_HEADERS,
                    Map.of("X-Listing-Unsupported", listing.get().unsupportedReason()));
        } else {
            exchange.removeProperty(JsonResponder.RESPONSE_HEADERS); // a refused catalog asked before does not count
        }
        return listing.get().names();
    }

    /** Registry names to SaaS names: the ones outside the registryBase namespace are left out. */
    protected static List<String> unqualified(RegistryClient client, List<String> registryNames) {
        return registryNames.stream().map(client.endpoint()::unqualify).filter(n -> n != null).toList();
    }

    protected static String basic(RegistryCredentials credentials) {
        String pair = (credentials.username() == null ? "" : credentials.username()) + ":"
                + (credentials.password() == null ? "" : credentials.password());
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code authority} ({@code host[:port]}) is one of a comma-separated list of hosts. */
    protected static boolean isOneOf(String authority, java.util.Set<String> hosts) {
        return hosts.contains(authority.toLowerCase(java.util.Locale.ROOT));
    }
}
