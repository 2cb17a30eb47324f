package io.cragent.agent.types.dockerhub;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cragent.agent.AgentRequest;
import io.cragent.agent.types.VendorApi;
import io.cragent.agent.types.VendorLister;
import io.cragent.agent.types.VendorPages;
import io.cragent.credentials.RegistryCredentials;
import io.cragent.registry.Digests;
import io.cragent.registry.Listing;
import io.cragent.registry.RegistryClient;
import io.cragent.registry.RegistryClients;
import io.cragent.registry.RegistryEndpoint;
import io.cragent.registry.http.HttpCall;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Docker Hub: there is no {@code _catalog}; repositories come from the Hub API
 * ({@code GET /v2/namespaces/<ns>/repositories}, paged by its {@code next} URL) with a JWT from
 * {@code POST /v2/auth/token} (the deprecated {@code /v2/users/login} when that is not there). The namespace is the
 * registryBase path, else the user name. Official images live under {@code library/}.
 */
public final class DockerHubApi extends VendorLister {
    private static final int PAGE_SIZE = 100;
    /** Hub JWTs last 10 minutes; one is reused a little less. */
    private static final Duration JWT_REUSE = Duration.ofMinutes(8);

    private final String apiBase;
    private final Set<String> registryHosts;
    private final Map<String, Jwt> jwts = new ConcurrentHashMap<>();

    private record Jwt(String value, Instant until) {
    }

    public DockerHubApi(RegistryClients clients, VendorApi api, String apiBase, Set<String> registryHosts) {
        super(clients, api);
        this.apiBase = apiBase;
        this.registryHosts = registryHosts;
    }

    /** {@code nginx} means {@code library/nginx} on Docker Hub, as the docker CLI reads it. */
    public void officialImages(@ExchangeProperty(AgentRequest.PROPERTY) AgentRequest request, Exchange exchange) {
        String target = request.target();
        if (target == null || target.contains("/")) {
            return;
        }
        RegistryClient client = clients.forCredentials(request.credentials(),
                RegistryClients.pathMeaning(request.credentials().type()));
        if (client.endpoint().namespace().isEmpty() && isOneOf(client.endpoint().authority(), registryHosts)) {
            exchange.setProperty(AgentRequest.PROPERTY, new AgentRequest(request.operation(), request.credentials(),
                    "library/" + target, request.platform(), request.pageSize(), request.cursor()));
        }
    }

    @Override
    protected Optional<Listing> list(RegistryClient client, RegistryCredentials credentials) {
        if (!isOneOf(client.endpoint().authority(), registryHosts)) {
            return Optional.empty(); // a self-hosted registry under this type: its catalog
        }
        String namespace = !client.endpoint().namespace().isEmpty() ? client.endpoint().namespace().split("/")[0]
                : credentials.username();
        if (namespace == null || namespace.isEmpty()) {
            return Optional.of(Listing.unsupported("Docker Hub lists repositories per namespace: give one in "
                    + "registryBase (docker.io/<namespace>) or log in"));
        }
        RegistryEndpoint base = api.base(apiBase);
        Optional<String> jwt = jwt(base, credentials);
        if (jwt.isEmpty() && credentials.hasSecret()) {
            return Optional.empty();
        }
        HttpCall first = HttpCall.get(base.at("v2/namespaces/" + VendorPages.segment(namespace)
                        + "/repositories?page_size=" + PAGE_SIZE)).withHeader("Accept", "application/json")
                .withAuthorization(jwt.map(token -> "Bearer " + token).orElse(null));
        return api.walk(first, "the Docker Hub API",
                        page -> VendorApi.texts(page.json().path("results"), "name").stream()
                                .map(name -> namespace + "/" + name).toList(),
                        page -> VendorApi.link(page, page.json().path("next")))
                .map(names -> new Listing(unqualified(client, names), null));
    }

    /** A Hub JWT for these credentials, reused while fresh; empty when anonymous or the login API is not there. */
    private Optional<String> jwt(RegistryEndpoint base, RegistryCredentials credentials) {
        if (!credentials.hasSecret()) {
            return Optional.empty();
        }
        String key = Digests.sha256((credentials.username() + "\n" + credentials.password()).getBytes(StandardCharsets.UTF_8));
        Jwt cached = jwts.get(key);
        if (cached != null && Instant.now().isBefore(cached.until())) {
            return Optional.of(cached.value());
        }
        ObjectNode login = JsonNodeFactory.instance.objectNode()
                .put("identifier", credentials.username()).put("secret", credentials.password());
        Optional<String> token = api.fetch(HttpCall.postJson(base.at("v2/auth/token"), login.toString()), "Docker Hub's login")
                .map(page -> page.json().path("access_token").asText(""))
                .or(() -> legacyLogin(base, credentials))
                .filter(value -> !value.isEmpty());
        if (jwts.size() > 256) {
            jwts.clear(); // many distinct logins: they simply log in again
        }
        token.ifPresent(value -> jwts.put(key, new Jwt(value, Instant.now().plus(JWT_REUSE))));
        return token;
    }

    private Optional<String> legacyLogin(RegistryEndpoint base, RegistryCredentials credentials) {
        ObjectNode login = JsonNodeFactory.instance.objectNode()
                .put("username", credentials.username()).put("password", credentials.password());
        return api.fetch(HttpCall.postJson(base.at("v2/users/login"), login.toString()), "Docker Hub's login")
                .map(page -> page.json().path("token").asText(""));
    }
}
