package io.cragent.agent.ecr;

import io.cragent.agent.AgentRequest;
import io.cragent.agent.AgentRequestReader;
import io.cragent.credentials.RegistryCredentials;
import io.cragent.registry.OciNames;
import io.cragent.registry.ecr.EcrApi;
import io.cragent.registry.ecr.EcrRole;
import io.cragent.registry.ecr.EcrSession;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import software.amazon.awssdk.services.ecr.model.ImageDetail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code ecr} route set's operations: listings from ECR's own API, and the registry login every other
 * operation needs before it joins the generic OCI flow.
 */
public final class EcrOperations {
    /** Exchange property: the ECR session whose login the request carries. */
    public static final String SESSION = "ecrSession";

    private final EcrApi api;

    public EcrOperations(EcrApi api) {
        this.api = api;
    }

    /**
     * Replaces the role in the request by the registry login of its ECR session ({@code AWS} and the decoded
     * token, at the token's proxyEndpoint), so that the generic OCI flow can serve the request.
     */
    public void useRegistryLogin(@ExchangeProperty(AgentRequest.PROPERTY) AgentRequest request, Exchange exchange) {
        RegistryCredentials role = request.credentials();
        EcrSession session = api.sessions().session(EcrRole.of(role));
        exchange.setProperty(SESSION, session);
        RegistryCredentials login = new RegistryCredentials(role.type(), session.username(), session.password(),
                session.registryBase(), role.roleArn(), role.region(), role.externalId());
        exchange.setProperty(AgentRequest.PROPERTY, new AgentRequest(request.operation(), login, request.target(),
                request.platform(), request.pageSize(), request.cursor()));
    }

    /** Drops the session whose login the registry refused ({@link EcrLoginAttempt}), then logs in with a new one. */
    public void renewRegistryLogin(@ExchangeProperty(AgentRequest.PROPERTY) AgentRequest request, Exchange exchange) {
        api.sessions().invalidate(EcrRole.of(request.credentials()), exchange.getProperty(SESSION, EcrSession.class));
        useRegistryLogin(request, exchange);
    }

    public List<String> listRepositories(@ExchangeProperty(AgentRequest.PROPERTY) AgentRequest request) {
        return api.repositories(EcrRole.of(request.credentials()));
    }

    public List<String> listTags(@ExchangeProperty(AgentRequest.PROPERTY) AgentRequest request) {
        return api.tags(EcrRole.of(request.credentials()), OciNames.requireRepository(request.target()));
    }

    /** One page of ListImages; the cursor is ECR's own next token, made opaque. */
    public Map<String, Object> listTagsPage(@ExchangeProperty(AgentRequest.PROPERTY) AgentRequest request) {
        EcrApi.TagsPage page = api.tagsPage(EcrRole.of(request.credentials()),
                OciNames.requireRepository(request.target()), request.pageSize(), request.cursor());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("tags", page.tags());
        answer.put("next", AgentRequestReader.encodeCursor(page.next()));
        return answer;
    }

    /** Tags from DescribeImages, with the digest, the manifest's media type and the push time ECR recorded. */
    public List<Map<String, Object>> listTagsWithMetadata(@ExchangeProperty(AgentRequest.PROPERTY) AgentRequest request) {
        List<Map<String, Object>> answer = new ArrayList<>();
        for (ImageDetail image : api.taggedImages(EcrRole.of(request.credentials()),
                OciNames.requireRepository(request.target()))) {
            for (String tag : image.imageTags()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("tag", tag);
                entry.put("digest", image.imageDigest());
                entry.put("mediaType", image.imageManifestMediaType());
                entry.put("lastPushed", image.imagePushedAt() == null ? null : image.imagePushedAt().toString());
                answer.add(entry);
            }
        }
        return answer;
    }
}
