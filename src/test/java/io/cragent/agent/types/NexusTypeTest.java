package io.cragent.agent.types;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.RegistryHttp;
import io.cragent.testsupport.TestImages;
import io.cragent.testsupport.VendorFake.Reply;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nexus-cr: a fake Nexus group repository in front of the real registry. Its catalog pages by {@code n}/{@code last}
 * but sends no {@code Link} (as Nexus groups do); every other path is the real registry behind it.
 */
class NexusTypeTest extends VendorTypeTestSupport {
    private List<String> names;
    private volatile boolean ignoreLast;

    @BeforeAll
    void start() {
        startPeers(DistributionRegistry.Mode.TLS_HTPASSWD);
        names = TestImages.pushManyRepositories(registry, "grp/repo", 5);
        vendor.proxyTo(registry).on("/v2/_catalog", request -> {
            if (!(registry.username() + ":" + registry.password()).equals(request.basic())) {
                return Reply.status(401).withHeader("WWW-Authenticate", "Basic realm=\"Sonatype Nexus Repository Manager\"");
            }
            int n = number(request.query("n"), 100);
            String last = ignoreLast ? null : request.query("last");
            List<String> after = last == null ? names : names.subList(names.indexOf(last) + 1, names.size());
            ObjectNode body = JSON.createObjectNode();
            after.stream().limit(n).forEach(body.withArray("repositories")::add);
            body.withArray("repositories");
            return Reply.json(body.toString());
        });
        override("cragent.registry.page-size", "2");
    }

    private String nexus() {
        return credentials("nexus-cr", registry.username(), registry.password(), vendor.baseUrl().substring(8));
    }

    @Test
    void pagesACatalogWithoutLinksByLast() {
        vendor.clearRequests();
        Answer answer = get("/list", nexus());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(texts(answer.json())).containsExactlyElementsOf(names);
        assertThat(vendor.requests("/v2/_catalog")).extracting(r -> r.queryParam("last"))
                .containsExactly(null, "grp/repo-001", "grp/repo-003", "grp/repo-004");
    }

    @Test
    void aCatalogThatIgnoresLastEndsWhenAPageBringsNothingNew() {
        ignoreLast = true;
        try {
            vendor.clearRequests();
            Answer answer = get("/list", nexus());
            assertThat(texts(answer.json())).as(answer.toString()).containsExactly("grp/repo-000", "grp/repo-001");
            assertThat(vendor.requests("/v2/_catalog")).hasSize(2);
        } finally {
            ignoreLast = false;
        }
    }

    @Test
    void tagsAndImagesComeThroughTheGroup() {
        Answer tags = get("/list/grp/repo-003", nexus());
        assertThat(texts(tags.json())).as(tags.toString()).containsExactly("latest");
        Answer meta = get("/image-metadata/grp/repo-003:latest", nexus());
        assertThat(meta.status()).as(meta.toString()).isEqualTo(200);
        assertThat(meta.json().path("manifestDigest").asText())
                .isEqualTo(new RegistryHttp(registry).getManifest("grp/repo-003", "latest").digest());
    }
}
