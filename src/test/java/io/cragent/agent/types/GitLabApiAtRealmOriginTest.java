package io.cragent.agent.types;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.TestImages;
import io.cragent.testsupport.VendorFake;
import io.cragent.testsupport.VendorFake.Reply;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * gitlab-cr without a configured GitLab URL: GitLab is found where the registry's token realm is. A self-managed
 * GitLab under a path ({@code https://host/gitlab}) answers the registry's challenge with
 * {@code realm="https://host/gitlab/jwt/auth"}, so its API is {@code https://host/gitlab/api/v4}. One fake plays
 * GitLab: the JWT endpoint (Basic user + token → {@code {"token":…}}) and the registry repositories API.
 */
class GitLabApiAtRealmOriginTest extends VendorTypeTestSupport {
    private static final String TOKEN = "glpat-self-managed";
    private static final String JWT_PATH = "/gitlab/jwt/auth";
    private static final String PROJECT_API = "/gitlab/api/v4/projects/group%2Fproject/registry/repositories";

    @BeforeAll
    void start() {
        startPeersBehindRealm(JWT_PATH, "container_registry");
        registry.tokenIssuer().user("gl-user", "jwt-only").grant("group/project/*", "pull");
        vendor.on(JWT_PATH, this::jwt);
        vendor.on(PROJECT_API, request -> {
            if (!TOKEN.equals(request.header("PRIVATE-TOKEN"))) {
                return Reply.status(401);
            }
            ArrayNode body = JSON.createArrayNode();
            body.addObject().put("id", 1).put("name", "app").put("path", "group/project/app");
            return Reply.json(body.toString());
        });
        TestImages.pushImage(registry, "group/project/app", "1.0", TestImages.Format.OCI);
        override("cragent.vendor.gitlab.api-base", "");
    }

    /** GitLab's {@code /jwt/auth}: a registry JWT for a user and a token with read_registry. */
    private Reply jwt(VendorFake.Request request) {
        String basic = request.basic();
        String user = basic == null ? null : basic.substring(0, basic.indexOf(':'));
        boolean valid = ("gl-user:" + TOKEN).equals(basic)
                || (DistributionRegistry.ADMIN_USER + ":" + DistributionRegistry.ADMIN_PASSWORD).equals(basic);
        if (basic != null && !valid) {
            return Reply.status(401);
        }
        return Reply.json("{\"token\":\"" + registry.tokenIssuer().mintFor(user, request.queries("scope")) + "\"}");
    }

    @Test
    void gitLabsApiIsFoundAtTheRealmsOriginAndPath() {
        vendor.clearRequests();
        String credentials = credentials("gitlab-cr", "gl-user", TOKEN, registry.hostPort() + "/group/project");
        Answer list = get("/list", credentials);
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(texts(list.json())).containsExactly("app");
        assertThat(vendor.requests()).extracting(r -> r.path())
                .contains("/gitlab/api/v4/projects/group/project/registry/repositories");
        Answer tags = get("/list/app", credentials);
        assertThat(texts(tags.json())).as(tags.toString()).isEqualTo(List.of("1.0"));
        assertThat(vendor.requests(JWT_PATH)).anyMatch(r -> r.isAuthScheme("Basic"));
    }
}
