package io.cragent.agent.types;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.TestImages;
import io.cragent.testsupport.TestImages.PushedImage;
import io.cragent.testsupport.VendorFake.Reply;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * harbor-cr: a robot account ({@code robot$…}) lists through a fake of Harbor's v2.0 REST API (projects, then
 * repositories paged by {@code page}/{@code page_size} and {@code X-Total-Count}; artifacts for tag metadata, the
 * repository name encoded twice), while the real registry, which refuses the robot its catalog, serves the images.
 */
class HarborTypeTest extends VendorTypeTestSupport {
    private static final String ROBOT = "robot$ci+team";
    private static final String ROBOT_SECRET = "robot-secret";
    private final List<String> repositories = new ArrayList<>();
    private PushedImage app;
    private PushedImage cli;

    @BeforeAll
    void start() {
        startPeers(DistributionRegistry.Mode.TLS_TOKEN);
        registry.tokenIssuer().user(ROBOT, ROBOT_SECRET).grant("team/*", "pull");
        app = TestImages.pushImage(registry, "team/app", "1.0", TestImages.Format.OCI);
        cli = TestImages.pushImage(registry, "team/tools/cli", "2.0", TestImages.Format.DOCKER_V2S2);
        repositories.addAll(List.of("team/app", "team/tools/cli"));
        IntStream.range(0, 148).forEach(i -> repositories.add(String.format("team/svc-%03d", i)));
        fakeHarbor();
        override("cragent.vendor.harbor.api-base", vendor.baseUrl());
    }

    private void fakeHarbor() {
        vendor.on("/api/v2.0/projects", request -> robotOnly(request.basic(), () -> {
            ArrayNode projects = JSON.createArrayNode();
            projects.addObject().put("project_id", 1).put("name", "team");
            projects.addObject().put("project_id", 2).put("name", "empty-proj");
            return Reply.json(projects.toString()).withHeader("X-Total-Count", "2");
        }));
        vendor.on("/api/v2.0/projects/team/repositories", request -> robotOnly(request.basic(), () -> {
            int page = number(request.query("page"), 1);
            int size = Math.min(100, number(request.query("page_size"), 10));
            ArrayNode body = JSON.createArrayNode();
            page(repositories, page, size).forEach(name -> body.addObject().put("name", name).put("project_id", 1));
            return Reply.json(body.toString()).withHeader("X-Total-Count", String.valueOf(repositories.size()));
        }));
        vendor.on("/api/v2.0/projects/empty-proj/repositories", request -> Reply.json("[]").withHeader("X-Total-Count", "0"));
        vendor.on("/api/v2.0/projects/team/repositories/tools%252Fcli/artifacts", request -> robotOnly(request.basic(), () -> {
            ArrayNode body = JSON.createArrayNode();
            var artifact = body.addObject().put("digest", cli.manifestDigest())
                    .put("manifest_media_type", cli.mediaType())
                    .put("media_type", "application/vnd.docker.container.image.v1+json")
                    .put("push_time", "2024-05-01T10:00:00.000Z");
            artifact.putArray("tags").addObject().put("name", "2.0").put("push_time", "2024-05-02T08:30:00.000Z");
            return Reply.json(body.toString()).withHeader("X-Total-Count", "1");
        }));
    }

    private static Reply robotOnly(String basic, java.util.function.Supplier<Reply> reply) {
        return (ROBOT + ":" + ROBOT_SECRET).equals(basic) ? reply.get() : Reply.status(401);
    }

    private String robot(String secret) {
        return credentials("harbor-cr", ROBOT, secret, registry.hostPort());
    }

    @Test
    void listsProjectsThenTheirRepositoriesPageByPage() {
        Answer answer = get("/list", robot(ROBOT_SECRET));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(texts(answer.json())).containsExactlyElementsOf(repositories);
        assertThat(answer.response().headers().firstValue("X-Listing-Unsupported")).isEmpty();
        assertThat(vendor.requests("/api/v2.0/projects/team/repositories"))
                .extracting(r -> r.queryParam("page")).containsExactly("1", "2");
        assertThat(vendor.requests("/api/v2.0/projects")).allMatch(r -> r.isAuthScheme("Basic"));
    }

    @Test
    void theRobotReadsTagsAndImagesFromTheRegistry() {
        Answer tags = get("/list/team/app", robot(ROBOT_SECRET));
        assertThat(tags.status()).as(tags.toString()).isEqualTo(200);
        assertThat(texts(tags.json())).containsExactly("1.0");
        Answer meta = get("/image-metadata/team/tools/cli:2.0", robot(ROBOT_SECRET));
        assertThat(meta.status()).as(meta.toString()).isEqualTo(200);
        assertThat(meta.json().path("manifestDigest").asText()).isEqualTo(cli.manifestDigest());
        Answer appMeta = get("/image-metadata/team%2Fapp:1.0", robot(ROBOT_SECRET));
        assertThat(appMeta.json().path("manifestDigest").asText()).as(appMeta.toString()).isEqualTo(app.manifestDigest());
    }

    @Test
    void tagMetadataComesFromArtifactsWithTheNameEncodedTwice() {
        Answer answer = get("/list-with-metadata/team/tools/cli", robot(ROBOT_SECRET));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JsonNode entry = answer.json().get(0);
        assertThat(entry.path("tag").asText()).isEqualTo("2.0");
        assertThat(entry.path("digest").asText()).isEqualTo(cli.manifestDigest());
        assertThat(entry.path("lastPushed").asText()).isEqualTo("2024-05-02T08:30:00.000Z");
        assertThat(vendor.requests()).anyMatch(r -> r.pathAndQuery()
                .startsWith("/api/v2.0/projects/team/repositories/tools%252Fcli/artifacts?with_tag=true"));
    }

    @Test
    void withoutHarborsApiTheCatalogLists() {
        vendor.setAbsent(true);
        try {
            Answer admin = get("/list", credentials("harbor-cr", registry.username(), registry.password(), registry.hostPort()));
            assertThat(admin.status()).as(admin.toString()).isEqualTo(200);
            assertThat(texts(admin.json())).containsExactlyInAnyOrder("team/app", "team/tools/cli");

            Answer robot = get("/list", robot(ROBOT_SECRET));
            assertThat(robot.json()).as(robot.toString()).isEmpty();
            assertThat(robot.response().headers().firstValue("X-Listing-Unsupported")).isPresent();

            Answer meta = get("/list-with-metadata/team/tools/cli", robot(ROBOT_SECRET));
            assertThat(meta.json().get(0).path("digest").asText()).as(meta.toString()).isEqualTo(cli.manifestDigest());
            assertThat(meta.json().get(0).path("lastPushed").isNull()).isTrue();
        } finally {
            vendor.setAbsent(false);
        }
    }

    @Test
    void aWrongRobotSecretIsAnAuthenticationFailure() {
        Answer answer = get("/list", robot("wrong"));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(401);
        assertThat(answer.errorCode()).isEqualTo("AUTH_FAILED");
    }
}
