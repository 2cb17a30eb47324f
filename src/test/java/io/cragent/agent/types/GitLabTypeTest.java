package io.cragent.agent.types;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.TestImages;
import io.cragent.testsupport.TestImages.PushedImage;
import io.cragent.testsupport.TokenIssuer;
import io.cragent.testsupport.VendorFake.Reply;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * gitlab-cr: no catalog for users; the project's repositories from a fake of GitLab's REST API
 * ({@code /api/v4/projects/<path>/registry/repositories}, {@code PRIVATE-TOKEN}, paged by {@code Link}), the real
 * registry with Bearer tokens behind it, and a registry token that expires between calls renewed on the 401.
 */
class GitLabTypeTest extends VendorTypeTestSupport {
    private static final String TOKEN = "glpat-read-api-and-registry";
    private static final String PROJECT_API = "/api/v4/projects/group%2Fproject/registry/repositories";
    private PushedImage app;
    private TokenIssuer issuer;

    @BeforeAll
    void start() {
        startPeers(DistributionRegistry.Mode.TLS_TOKEN);
        issuer = registry.tokenIssuer();
        issuer.user("gl-user", TOKEN).grant("group/project/*", "pull");
        issuer.user("gl-renew", TOKEN).grant("group/project/*", "pull");
        app = TestImages.pushImage(registry, "group/project/app", "1.0", TestImages.Format.OCI);
        vendor.on(PROJECT_API, request -> {
            if (!TOKEN.equals(request.header("PRIVATE-TOKEN"))) {
                return Reply.status(401);
            }
            boolean second = "2".equals(request.query("page"));
            ArrayNode body = JSON.createArrayNode();
            for (String name : second ? new String[] {"db"} : new String[] {"app", "worker"}) {
                body.addObject().put("id", name.length()).put("name", name).put("path", "group/project/" + name)
                        .put("project_id", 9).put("location", registry.hostPort() + "/group/project/" + name);
            }
            Reply reply = Reply.json(body.toString()).withHeader("X-Next-Page", second ? "" : "2");
            return second ? reply : reply.withHeader("Link", "<" + vendor.baseUrl() + PROJECT_API
                    + "?page=2&per_page=100>; rel=\"next\"");
        });
        override("cragent.vendor.gitlab.api-base", vendor.baseUrl());
    }

    private String gitlab(String user, String token) {
        return credentials("gitlab-cr", user, token, registry.hostPort() + "/group/project");
    }

    @Test
    void listsTheProjectsRepositoriesThroughGitLabsApi() {
        Answer answer = get("/list", gitlab("gl-user", TOKEN));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(texts(answer.json())).containsExactly("app", "worker", "db");
    }

    @Test
    void aTokenTheApiRefusesListsNothingWithTheReason() {
        Answer answer = get("/list", gitlab("gl-user", "glpat-registry-only"));
        assertThat(answer.json()).as(answer.toString()).isEmpty();
        assertThat(answer.response().headers().firstValue("X-Listing-Unsupported")).get().asString().contains("read_api");
    }

    @Test
    void withoutTheApiTheCatalogAnswersOrSaysWhyNot() {
        vendor.setAbsent(true);
        try {
            Answer user = get("/list", gitlab("gl-user", TOKEN));
            assertThat(user.json()).as(user.toString()).isEmpty();
            assertThat(user.response().headers().firstValue("X-Listing-Unsupported")).isPresent();
            Answer admin = get("/list", gitlab(registry.username(), registry.password()));
            assertThat(texts(admin.json())).as(admin.toString()).containsExactly("app");
        } finally {
            vendor.setAbsent(false);
        }
    }

    @Test
    void aRegistryTokenThatExpiresBetweenCallsIsRenewed() throws InterruptedException {
        issuer.clearRequests();
        // The JWT stops working at the registry a few seconds from now (its 60 s leeway included), while the
        // token answer still says 300 s: the agent keeps it, as it keeps GitLab's 5-minute tokens during a pull.
        issuer.setRegistryLifetime(-54L);
        try {
            Answer tags = get("/list/app", gitlab("gl-renew", TOKEN));
            assertThat(texts(tags.json())).as(tags.toString()).containsExactly("1.0");
        } finally {
            issuer.reset();
        }
        Thread.sleep(7_000);
        Answer meta = get("/image-metadata/app:1.0", gitlab("gl-renew", TOKEN));
        assertThat(meta.status()).as(meta.toString()).isEqualTo(200);
        assertThat(meta.json().path("manifestDigest").asText()).isEqualTo(app.manifestDigest());
        assertThat(issuer.issuedTokens()).filteredOn(t -> t.subject().equals("gl-renew")).hasSize(2);
    }
}
