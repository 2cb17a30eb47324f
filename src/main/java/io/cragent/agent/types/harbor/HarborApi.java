package io.cragent.agent.types.harbor;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.agent.AgentRequest;
import io.cragent.agent.types.VendorApi;
import io.cragent.agent.types.VendorLister;
import io.cragent.agent.types.VendorPages;
import io.cragent.credentials.RegistryCredentials;
import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import io.cragent.registry.Listing;
import io.cragent.registry.OciNames;
import io.cragent.registry.RegistryClient;
import io.cragent.registry.RegistryClients;
import io.cragent.registry.RegistryEndpoint;
import io.cragent.registry.http.HttpCall;
import org.apache.camel.ExchangeProperty;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Harbor's REST API (v2.0), with the registry credentials as Basic (robot accounts {@code robot$…} included):
 * projects, then each project's repositories, because {@code _catalog} is for system administrators only; and
 * artifacts with their push times for tag metadata. Harbor's REST paths take repository names with {@code /}
 * encoded twice ({@code a/b} → {@code a%252Fb}).
 */
public final class HarborApi extends VendorLister {
    private static final int PAGE_SIZE = 100;
    private static final String TOTAL = "X-Total-Count";

    private final String configuredBase;

    /** @param configuredBase the REST API's base URL; empty: the registry's own origin */
    public HarborApi(RegistryClients clients, VendorApi api, String configuredBase) {
        super(clients, api);
        this.configuredBase = configuredBase == null ? "" : configuredBase.trim();
    }

    @Override
    protected Optional<Listing> list(RegistryClient client, RegistryCredentials credentials) {
        RegistryEndpoint base = base(client);
        String auth = basic(credentials);
        String project = client.endpoint().namespace().isEmpty() ? null : client.endpoint().namespace().split("/")[0];
        try {
            Optional<List<String>> projects = project != null ? Optional.of(List.of(project))
                    : api.walk(call(base, "api/v2.0/projects?page=1&page_size=" + PAGE_SIZE, auth),
                    "Harbor's project API", page -> VendorApi.texts(page.json(), "name"),
                    page -> VendorPages.numbered(page, TOTAL));
            if (projects.isEmpty()) {
                return Optional.empty();
            }
            List<String> names = new ArrayList<>();
            for (String name : projects.get()) {
                Optional<List<String>> repositories = api.walk(call(base, "api/v2.0/projects/"
                                + VendorPages.segment(name) + "/repositories?page=1&page_size=" + PAGE_SIZE, auth),
                        "Harbor's repository API", page -> VendorApi.texts(page.json(), "name"),
                        page -> VendorPages.numbered(page, TOTAL));
                if (repositories.isEmpty() && project != null) {
                    return Optional.empty();
                }
                repositories.ifPresent(names::addAll);
            }
            return Optional.of(new Listing(unqualified(client, names), null));
        } catch (AgentException e) {
            if (e.code() == ErrorCode.AUTH_FAILED || e.code() == ErrorCode.ACCESS_DENIED) {
                return Optional.empty(); // the catalog answers, or says why it cannot
            }
            throw e;
        }
    }

    /**
     * Tags with digest, media type and push time from the artifacts of a repository; null when the REST API is not
     * there (the generic flow then asks the registry tag by tag).
     */
    public List<Map<String, Object>> listTagsWithMetadata(@ExchangeProperty(AgentRequest.PROPERTY) AgentRequest request) {
        RegistryCredentials credentials = request.credentials();
        RegistryClient client = clients.forCredentials(credentials, RegistryClients.pathMeaning(credentials.type()));
        String full = client.endpoint().qualify(OciNames.requireRepository(request.target()));
        int slash = full.indexOf('/');
        if (slash < 0) {
            return null; // every Harbor repository lives in a project
        }
        String path = "api/v2.0/projects/" + VendorPages.segment(full.substring(0, slash)) + "/repositories/"
                + VendorPages.segment(VendorPages.segment(full.substring(slash + 1)))
                + "/artifacts?with_tag=true&page=1&page_size=" + PAGE_SIZE;
        List<Map<String, Object>> tags = new ArrayList<>();
        Optional<List<String>> walked = api.walk(call(base(client), path, basic(credentials)), "Harbor's artifact API",
                page -> {
                    page.json().forEach(artifact -> artifact.path("tags").forEach(tag -> tags.add(entry(artifact, tag))));
                    return List.of();
                }, page -> VendorPages.numbered(page, TOTAL));
        return walked.isPresent() ? tags : null;
    }

    private static Map<String, Object> entry(JsonNode artifact, JsonNode tag) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("tag", tag.path("name").asText());
        entry.put("digest", artifact.path("digest").asText());
        entry.put("mediaType", artifact.path("manifest_media_type").asText(null)); // media_type is the config's
        entry.put("lastPushed", tag.path("push_time").asText(artifact.path("push_time").asText(null)));
        return entry;
    }

    private RegistryEndpoint base(RegistryClient client) {
        return configuredBase.isEmpty()
                ? api.base(client.endpoint().scheme() + "://" + client.endpoint().authority())
                : api.base(configuredBase);
    }

    private static HttpCall call(RegistryEndpoint base, String pathAndQuery, String authorization) {
        return HttpCall.get(base.at(pathAndQuery)).withHeader("Accept", "application/json").withAuthorization(authorization);
    }
}
