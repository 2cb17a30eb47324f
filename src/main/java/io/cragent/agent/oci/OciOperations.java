package io.cragent.agent.oci;

import io.cragent.agent.AgentRequest;
import io.cragent.agent.AgentRequestReader;
import io.cragent.errors.AgentException;
import io.cragent.http.JsonResponder;
import io.cragent.registry.FetchedManifest;
import io.cragent.registry.ImageReference;
import io.cragent.registry.Listing;
import io.cragent.registry.OciNames;
import io.cragent.registry.RegistryClient;
import io.cragent.registry.RegistryClients;
import io.cragent.registry.TagPage;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The generic OCI distribution flow behind every registry type: each method is one agent operation, called by the
 * {@code oci-*} routes. Types with vendor APIs replace single operations and fall back to these.
 */
public final class OciOperations {
    private final RegistryClients clients;

    public OciOperations(RegistryClients clients) {
        this.clients = clients;
    }

    public Map<String, Object> checkAccess(@ExchangeProperty(AgentRequest.PROPERTY) AgentRequest request) {
        RegistryClient client = client(request);
        client.checkAccess();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("ok", true);
        answer.put("type", request.credentials().type().id());
        answer.put("registry", client.endpoint().authority());
        return answer;
    }

    public List<String> listRepositories(@ExchangeProperty(AgentRequest.PROPERTY) AgentRequest request,
                                         Exchange exchange) {
        Listing listing = client(request).listRepositories();
        if (listing.unsupportedReason() != null) {
            exchange.setProperty(JsonResponder.RESPONSE_HEADERS, Map.of("X-Listing-Unsupported", listing.unsupportedReason()));
        }
        return listing.names();
    }

    public List<String> listTags(@ExchangeProperty(AgentRequest.PROPERTY) AgentRequest request) {
        return client(request).listTags(OciNames.requireRepository(request.target()));
    }

    public Map<String, Object> listTagsPage(@ExchangeProperty(AgentRequest.PROPERTY) AgentRequest request) {
        if (request.cursor() != null && !OciNames.isTag(request.cursor())) {
            throw AgentException.badRequest("cursor is not one this agent issued");
        }
        TagPage page = client(request).listTagsPage(OciNames.requireRepository(request.target()),
                request.pageSize(), request.cursor());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("tags", page.tags());
        answer.put("next", AgentRequestReader.encodeCursor(page.next()));
        return answer;
    }

    /** Tags with the digest each points at, from one {@code HEAD} per tag; plain v2 has no push time. */
    public List<Map<String, Object>> listTagsWithMetadata(@ExchangeProperty(AgentRequest.PROPERTY) AgentRequest request) {
        RegistryClient client = client(request);
        String repository = OciNames.requireRepository(request.target());
        List<Map<String, Object>> answer = new ArrayList<>();
        for (String tag : client.listTags(repository)) {
            FetchedManifest head = client.headManifest(repository, tag);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("tag", tag);
            entry.put("digest", head.digest());
            entry.put("mediaType", head.mediaType());
            entry.put("lastPushed", null);
            answer.add(entry);
        }
        return answer;
    }

    public ImageMetadata imageMetadata(@ExchangeProperty(AgentRequest.PROPERTY) AgentRequest request) {
        RegistryClient client = client(request);
        ImageReference reference = ImageReference.parse(request.target(), client.endpoint().authority());
        return ImageMetadata.of(client.resolve(reference, request.platform()));
    }

    /** The top-level digest: it changes exactly when the image (any platform of it) changes. */
    public Map<String, Object> stateIdentifier(@ExchangeProperty(AgentRequest.PROPERTY) AgentRequest request) {
        RegistryClient client = client(request);
        ImageReference reference = ImageReference.parse(request.target(), client.endpoint().authority());
        String digest = reference.digest() != null ? reference.digest()
                : client.headManifest(reference.repository(), reference.tag()).digest();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("image", reference.toString());
        answer.put("stateIdentifier", digest);
        return answer;
    }

    private RegistryClient client(AgentRequest request) {
        return clients.forCredentials(request.credentials(), RegistryClients.pathMeaning(request.credentials().type()));
    }
}
