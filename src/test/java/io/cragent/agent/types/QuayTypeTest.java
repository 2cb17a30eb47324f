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
 * quay-cr: the catalog first (Quay serves it to Bearer tokens); when it is refused, a fake of Quay's REST API
 * ({@code /api/v1/repository?namespace=}, paged by {@code next_page}) with the OAuth token that Quay also takes at
 * the registry as the password of {@code $oauthtoken}. The real registry serves the images.
 */
class QuayTypeTest extends VendorTypeTestSupport {
    private static final String OAUTH_USER = "$oauthtoken";
    private static final String OAUTH_TOKEN = "quay-oauth-application-token";
    private static final List<String> QUAY_REPOSITORIES = List.of("app", "web", "db");
    private PushedImage app;

    @BeforeAll
    void start() {
        startPeers(DistributionRegistry.Mode.TLS_TOKEN);
        registry.tokenIssuer().user(OAUTH_USER, OAUTH_TOKEN).grant("org/*", "pull");
        registry.tokenIssuer().user("org+ci", "robot-pw").grant("org/*", "pull");
        app = TestImages.pushImage(registry, "org/app", "1.0", TestImages.Format.OCI);
        vendor.on("/api/v1/repository", request -> {
            if (!OAUTH_TOKEN.equals(request.bearer()) || !"org".equals(request.query("namespace"))) {
                return Reply.status(401);
            }
            boolean second = "p2".equals(request.query("next_page"));
            ObjectNode body = JSON.createObjectNode();
            (second ? QUAY_REPOSITORIES.subList(2, 3) : QUAY_REPOSITORIES.subList(0, 2)).forEach(name ->
                    body.withArray("repositories").addObject().put("namespace", "org").put("name", name)
                            .put("is_public", false).put("kind", "image"));
            if (!second) {
                body.put("next_page", "p2");
            }
            return Reply.json(body.toString());
        });
        override("cragent.vendor.quay.api-base", vendor.baseUrl());
    }

    @Test
    void aRefusedCatalogListsThroughQuaysApiWithTheOAuthToken() {
        vendor.clearRequests();
        Answer answer = get("/list", credentials("quay-cr", OAUTH_USER, OAUTH_TOKEN, registry.hostPort() + "/org"));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(texts(answer.json())).containsExactly("app", "web", "db");
        assertThat(answer.response().headers().firstValue("X-Listing-Unsupported")).isEmpty();
        assertThat(vendor.requests("/api/v1/repository")).extracting(r -> r.queryParam("next_page"))
                .containsExactly(null, "p2");
    }

    @Test
    void theOAuthTokenReadsTagsAndImagesInTheNamespace() {
        String creds = credentials("quay-cr", OAUTH_USER, OAUTH_TOKEN, registry.hostPort() + "/org");
        Answer tags = get("/list/app", creds);
        assertThat(texts(tags.json())).as(tags.toString()).containsExactly("1.0");
        Answer meta = get("/image-metadata/app:1.0", creds);
        assertThat(meta.status()).as(meta.toString()).isEqualTo(200);
        assertThat(meta.json().path("manifestDigest").asText()).isEqualTo(app.manifestDigest());
    }

    @Test
    void aRobotWithoutTheCatalogGetsNoListAndTheReason() {
        vendor.clearRequests();
        Answer answer = get("/list", credentials("quay-cr", "org+ci", "robot-pw", registry.hostPort() + "/org"));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.json()).isEmpty();
        assertThat(answer.response().headers().firstValue("X-Listing-Unsupported")).get().asString().contains("OAuth");
        assertThat(vendor.requests()).isEmpty();
    }

    @Test
    void theCatalogAnswersWhenItIsAllowed() {
        vendor.clearRequests();
        Answer answer = get("/list", credentials("quay-cr", registry.username(), registry.password(), registry.hostPort()));
        assertThat(texts(answer.json())).as(answer.toString()).containsExactly("org/app");
        assertThat(vendor.requests()).isEmpty();
    }
}
