package io.cragent.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plain http, allowed only for a registry listed as insecure, and a catalog of more than 100 repositories that
 * the agent must page through by {@code Link} headers (pages of 40 here).
 */
class PlainHttpCatalogTest extends AgentTestSupport {
    private static final int REPOSITORIES = 105;
    private DistributionRegistry registry;
    private List<String> pushed;

    @BeforeAll
    void startRegistry() {
        registry = DistributionRegistry.start(DistributionRegistry.Mode.PLAIN_HTPASSWD);
        pushed = TestImages.pushManyRepositories(registry, "bulk/repo", REPOSITORIES);
        override("cragent.registry.insecure-hosts", registry.hostPort());
        override("cragent.registry.page-size", "40");
    }

    @AfterAll
    void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    private String creds(String base) {
        return credentials("nexus-cr", registry.username(), registry.password(), base);
    }

    @Test
    void listsEveryRepositoryAcrossPages() {
        Answer answer = get("/list", creds(registry.hostPort()));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        Set<String> names = new HashSet<>();
        answer.json().forEach(n -> names.add(n.asText()));
        assertThat(names).hasSize(answer.json().size()).containsAll(pushed);
        assertThat(pushed).hasSize(REPOSITORIES);
    }

    @Test
    void anExplicitHttpSchemeWorksForAnInsecureHost() {
        Answer answer = get("/systemcheck", creds("http://" + registry.hostPort()));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }

    @Test
    void plainHttpToAnyOtherHostIsRefused() {
        Answer answer = get("/systemcheck", creds("http://127.0.0.1:1"));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errorCode()).isEqualTo("REGISTRY_NOT_ALLOWED");
        assertThat(answer.json().path("error").path("message").asText()).contains("CR_AGENT_INSECURE_REGISTRIES");
    }

    @Test
    void aRegistryThatIsDownIsA502() {
        Answer answer = get("/systemcheck", credentials("nexus-cr", "u", "p", "127.0.0.1:1"));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(502);
        JsonNode error = answer.json().path("error");
        assertThat(error.path("code").asText()).isIn("REGISTRY_UNAVAILABLE", "TLS_ERROR");
    }
}
