package io.cragent.agent.types;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.TestImages;
import io.cragent.testsupport.TestImages.PushedImage;
import io.cragent.testsupport.VendorFake.Reply;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-hub: repositories from a fake of the Hub API (a JWT from {@code POST /v2/auth/token}, then
 * {@code /v2/namespaces/<user>/repositories} followed by its {@code next} URLs), official images under
 * {@code library/}, and the real registry standing in for registry-1.docker.io.
 */
class DockerHubTypeTest extends VendorTypeTestSupport {
    private static final String JWT = "hub-jwt-for-admin";
    private static final List<String> HUB_REPOSITORIES = List.of("app", "web", "db", "cache", "api");
    private PushedImage nginx;

    @BeforeAll
    void start() {
        startPeers(DistributionRegistry.Mode.TLS_HTPASSWD);
        TestImages.pushImage(registry, "admin/app", "1.0", TestImages.Format.OCI);
        nginx = TestImages.pushImage(registry, "library/nginx", "latest", TestImages.Format.DOCKER_V2S2);
        vendor.on("/v2/auth/token", request -> {
            JsonNode login = json(request.body());
            boolean ok = request.method().equals("POST") && login.path("identifier").asText().equals(registry.username())
                    && login.path("secret").asText().equals(registry.password());
            return ok ? Reply.json("{\"access_token\":\"" + JWT + "\"}") : Reply.status(401);
        });
        vendor.on("/v2/namespaces/admin/repositories", request -> {
            if (!JWT.equals(request.bearer())) {
                return Reply.status(401);
            }
            int page = number(request.query("page"), 1);
            int size = Math.min(2, number(request.query("page_size"), 10)); // a short page: follow next, never count
            ObjectNode body = JSON.createObjectNode().put("count", HUB_REPOSITORIES.size());
            body.put("next", page * size < HUB_REPOSITORIES.size()
                    ? vendor.baseUrl() + "/v2/namespaces/admin/repositories?page=" + (page + 1) + "&page_size=" + size
                    : null);
            page(HUB_REPOSITORIES, page, size).forEach(name -> body.withArray("results").addObject()
                    .put("name", name).put("namespace", "admin").put("repository_type", "image"));
            return Reply.json(body.toString());
        });
        override("cragent.vendor.docker-hub.api-base", vendor.baseUrl());
        override("cragent.vendor.docker-hub.registry-hosts", "registry-1.docker.io," + registry.hostPort());
    }

    private String hub() {
        return credentials("docker-hub", registry.username(), registry.password(), registry.hostPort());
    }

    @Test
    void listsTheUsersNamespaceThroughTheHubApiWithOneLogin() {
        vendor.clearRequests();
        Answer answer = get("/list", hub());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(texts(answer.json())).containsExactly("admin/app", "admin/web", "admin/db", "admin/cache", "admin/api");
        assertThat(vendor.requests("/v2/namespaces/admin/repositories")).hasSize(3);
        assertThat(get("/list", hub()).status()).isEqualTo(200);
        assertThat(vendor.requests("/v2/auth/token")).hasSize(1); // the JWT is reused
    }

    @Test
    void aSingleNameIsAnOfficialImage() {
        Answer tags = get("/list/nginx", hub());
        assertThat(tags.status()).as(tags.toString()).isEqualTo(200);
        assertThat(texts(tags.json())).containsExactly("latest");
        Answer meta = get("/image-metadata/nginx:latest", hub());
        assertThat(meta.status()).as(meta.toString()).isEqualTo(200);
        assertThat(meta.json().path("repository").asText()).isEqualTo("library/nginx");
        assertThat(meta.json().path("manifestDigest").asText()).isEqualTo(nginx.manifestDigest());
        assertThat(texts(get("/list/admin/app", hub()).json())).containsExactly("1.0");
    }

    @Test
    void withoutTheHubApiTheCatalogLists() {
        vendor.setAbsent(true);
        try {
            Answer answer = get("/list", credentials("docker-hub", registry.readerUsername(), registry.readerPassword(),
                    registry.hostPort()));
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            assertThat(texts(answer.json())).containsExactlyInAnyOrder("admin/app", "library/nginx");
        } finally {
            vendor.setAbsent(false);
        }
    }

    @Test
    void aRejectedHubLoginIsAnAuthenticationFailure() {
        Answer answer = get("/list", credentials("docker-hub", registry.username(), "wrong-pass", registry.hostPort()));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(401);
        assertThat(answer.body()).doesNotContain("wrong-pass");
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.isEmpty() ? "{}" : text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
