package io.cragent.agent.types;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.TestImages;
import io.cragent.testsupport.TestImages.PushedImage;
import io.cragent.testsupport.VendorFake.Reply;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * github-cr: no catalog on ghcr.io; container packages of the owner in registryBase from a fake of GitHub's REST
 * API ({@code /orgs/<org>/packages?package_type=container}, paged by {@code Link}) with the PAT as Bearer; the real
 * registry stands in for ghcr.io.
 */
class GitHubTypeTest extends VendorTypeTestSupport {
    private static final String PAT = "ghp_classic_read_packages";
    private PushedImage app;

    @BeforeAll
    void start() {
        startPeers(DistributionRegistry.Mode.TLS_HTPASSWD);
        registry.addUser("octocat", PAT);
        app = TestImages.pushImage(registry, "octo-org/app", "1.0", TestImages.Format.OCI);
        vendor.on("/orgs/octo-org/packages", request -> {
            if (!PAT.equals(request.bearer()) || !"container".equals(request.query("package_type"))
                    || !"2022-11-28".equals(request.header("X-GitHub-Api-Version"))) {
                return Reply.status(401);
            }
            boolean second = "2".equals(request.query("page"));
            ArrayNode body = JSON.createArrayNode();
            for (String name : second ? new String[] {"web"} : new String[] {"app", "tools/cli"}) {
                body.addObject().put("name", name).put("package_type", "container").putObject("owner").put("login", "octo-org");
            }
            Reply reply = Reply.json(body.toString());
            return second ? reply : reply.withHeader("Link", "<" + vendor.baseUrl()
                    + "/orgs/octo-org/packages?package_type=container&per_page=100&page=2>; rel=\"next\", <"
                    + vendor.baseUrl() + "/orgs/octo-org/packages?package_type=container&per_page=100&page=2>; rel=\"last\"");
        });
        override("cragent.vendor.github.api-base", vendor.baseUrl());
        override("cragent.vendor.github.registry-hosts", "ghcr.io," + registry.hostPort());
    }

    private String github(String pat) {
        return credentials("github-cr", "octocat", pat, registry.hostPort() + "/octo-org");
    }

    @Test
    void listsTheOrganisationsContainerPackages() {
        Answer answer = get("/list", github(PAT));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(texts(answer.json())).containsExactly("app", "tools/cli", "web");
    }

    @Test
    void thePatReadsTagsAndImages() {
        assertThat(texts(get("/list/app", github(PAT)).json())).containsExactly("1.0");
        Answer meta = get("/image-metadata/app:1.0", github(PAT));
        assertThat(meta.status()).as(meta.toString()).isEqualTo(200);
        assertThat(meta.json().path("manifestDigest").asText()).isEqualTo(app.manifestDigest());
    }

    @Test
    void aTokenTheApiRefusesListsNothingWithTheReason() {
        Answer answer = get("/list", github("ghp_without_read_packages"));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.json()).isEmpty();
        assertThat(answer.response().headers().firstValue("X-Listing-Unsupported")).get().asString().contains("read:packages");
    }

    @Test
    void withoutTheApiTheCatalogLists() {
        vendor.setAbsent(true);
        try {
            vendor.clearRequests();
            Answer answer = get("/list", github(PAT));
            assertThat(texts(answer.json())).as(answer.toString()).containsExactly("app");
            assertThat(vendor.requests()).extracting(r -> r.path()).containsExactly("/orgs/octo-org/packages",
                    "/users/octo-org/packages");
        } finally {
            vendor.setAbsent(false);
        }
    }
}
