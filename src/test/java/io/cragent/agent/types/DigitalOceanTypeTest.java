package io.cragent.agent.types;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.TestImages;
import io.cragent.testsupport.TestImages.PushedImage;
import io.cragent.testsupport.VendorFake.Reply;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * digitalocean-cr: the API token is user name and password at the registry and the Bearer token of a fake DO API
 * ({@code /v2/registry/<registry>/repositoriesV2}, paged by {@code links.pages.next}); the real registry stands in
 * for registry.digitalocean.com, the registry's name being the path of registryBase.
 */
class DigitalOceanTypeTest extends VendorTypeTestSupport {
    private static final String TOKEN = "dop_v1_registry_token";
    private static final List<String> DO_REPOSITORIES = List.of("app", "api", "db");
    private PushedImage app;

    @BeforeAll
    void start() {
        startPeers(DistributionRegistry.Mode.TLS_HTPASSWD);
        registry.addUser(TOKEN, TOKEN);
        app = TestImages.pushImage(registry, "myreg/app", "1.0", TestImages.Format.OCI);
        vendor.on("/v2/registry/myreg/repositoriesV2", request -> {
            if (!TOKEN.equals(request.bearer())) {
                return Reply.status(401);
            }
            boolean second = "t2".equals(request.query("page_token"));
            ObjectNode body = JSON.createObjectNode();
            (second ? DO_REPOSITORIES.subList(2, 3) : DO_REPOSITORIES.subList(0, 2)).forEach(name ->
                    body.withArray("repositories").addObject().put("registry_name", "myreg").put("name", name)
                            .put("tag_count", 1).put("manifest_count", 1));
            body.putObject("meta").put("total", DO_REPOSITORIES.size());
            ObjectNode pages = body.putObject("links").putObject("pages");
            if (!second) {
                pages.put("next", vendor.baseUrl() + "/v2/registry/myreg/repositoriesV2?page=2&page_token=t2&per_page=2");
            }
            return Reply.json(body.toString());
        });
        override("cragent.vendor.digitalocean.api-base", vendor.baseUrl());
        override("cragent.vendor.digitalocean.registry-hosts", "registry.digitalocean.com," + registry.hostPort());
    }

    private String digitalOcean() {
        return credentials("digitalocean-cr", TOKEN, TOKEN, registry.hostPort() + "/myreg");
    }

    @Test
    void listsTheRegistryThroughTheDigitalOceanApi() {
        vendor.clearRequests();
        Answer answer = get("/list", digitalOcean());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(texts(answer.json())).containsExactly("app", "api", "db");
        assertThat(vendor.requests("/v2/registry/myreg/repositoriesV2")).extracting(r -> r.queryParam("page_token"))
                .containsExactly(null, "t2");
    }

    @Test
    void theTokenReadsTagsAndImagesAtTheRegistry() {
        assertThat(texts(get("/list/app", digitalOcean()).json())).containsExactly("1.0");
        Answer meta = get("/image-metadata/app:1.0", digitalOcean());
        assertThat(meta.status()).as(meta.toString()).isEqualTo(200);
        assertThat(meta.json().path("manifestDigest").asText()).isEqualTo(app.manifestDigest());
    }

    @Test
    void withoutTheApiTheCatalogLists() {
        vendor.setAbsent(true);
        try {
            Answer answer = get("/list", digitalOcean());
            assertThat(texts(answer.json())).as(answer.toString()).containsExactly("app");
        } finally {
            vendor.setAbsent(false);
        }
    }
}
