package io.cragent.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.TestImages;
import io.cragent.testsupport.TestImages.Format;
import io.cragent.testsupport.TestImages.PushedImage;
import io.cragent.testsupport.TestImages.PushedIndex;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's API against the real CNCF registry over HTTPS with a private CA (trusted through CA_CERT) and
 * htpasswd Basic auth, with OCI, Docker v2 and multi-arch images pushed by skopeo.
 */
class TlsHtpasswdRegistryTest extends AgentTestSupport {
    private DistributionRegistry registry;
    private PushedImage ociImage;
    private PushedImage dockerImage;
    private PushedIndex ociIndex;
    private PushedIndex dockerList;
    private String creds;

    @BeforeAll
    void startRegistry() {
        registry = DistributionRegistry.start(DistributionRegistry.Mode.TLS_HTPASSWD);
        ociImage = TestImages.pushImage(registry, "team/app-oci", "1.0", Format.OCI);
        dockerImage = TestImages.pushImage(registry, "team/app-docker", "2.0", Format.DOCKER_V2S2);
        TestImages.pushImage(registry, "team/app-oci", "1.1", Format.OCI);
        ociIndex = TestImages.pushMultiArch(registry, "multi/oci", "v1", Format.OCI);
        dockerList = TestImages.pushMultiArch(registry, "multi/docker", "v1", Format.DOCKER_V2S2);
        creds = credentials("docker-hub", registry.username(), registry.password(), registry.hostPort());
        override("cragent.registry.ca-cert", registry.caCertPath().toString());
    }

    @AfterAll
    void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void healthcheckNeedsNoRegistry() {
        Answer answer = get("/healthcheck", null);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("ok").asBoolean()).isTrue();
        assertThat(answer.json().has("version")).isTrue();
    }

    @Test
    void systemcheckAcceptsGoodCredentialsAndReportsBadOnes() {
        Answer ok = get("/systemcheck", creds);
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.json().path("registry").asText()).isEqualTo(registry.hostPort());
        assertThat(get("/validate-credentials", creds).status()).isEqualTo(200);

        String wrong = credentials("docker-hub", registry.username(), "not-the-password", registry.hostPort());
        Answer refused = get("/systemcheck", wrong);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
        assertThat(refused.errorCode()).isEqualTo("AUTH_FAILED");
        assertThat(refused.body()).doesNotContain("not-the-password");
    }

    @Test
    void credentialsInTheBodyWorkToo() {
        Answer answer = post("/systemcheck", "{\"credentials\":\"" + creds + "\",\"snykRequestId\":\"x\"}");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }

    @Test
    void listsRepositoriesAndTags() {
        Answer repos = get("/list", creds);
        assertThat(repos.status()).as(repos.toString()).isEqualTo(200);
        assertThat(names(repos.json())).contains("team/app-oci", "team/app-docker", "multi/oci", "multi/docker");

        Answer tags = get("/list/team/app-oci", creds);
        assertThat(names(tags.json())).containsExactlyInAnyOrder("1.0", "1.1");
        Answer encoded = get("/list/team%2Fapp-oci", creds);
        assertThat(names(encoded.json())).containsExactlyInAnyOrder("1.0", "1.1");

        Answer unknown = get("/list/team/nothing-here", creds);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("REPOSITORY_NOT_FOUND");
    }

    @Test
    void pagesTagsWithAnOpaqueCursor() {
        Answer first = get("/list-paginated/team/app-oci?pageSize=1", creds);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        List<String> firstTags = names(first.json().path("tags"));
        assertThat(firstTags).hasSize(1);
        String cursor = first.json().path("next").asText();
        assertThat(cursor).isNotEmpty();
        Answer second = get("/list-paginated/team/app-oci?pageSize=1&cursor=" + cursor, creds);
        List<String> secondTags = names(second.json().path("tags"));
        assertThat(secondTags).hasSize(1).doesNotContainAnyElementsOf(firstTags);
        assertThat(second.json().path("next").isNull()).isTrue();
        List<String> all = new ArrayList<>(firstTags);
        all.addAll(secondTags);
        assertThat(all).containsExactlyInAnyOrder("1.0", "1.1");
        assertThat(get("/list-paginated/team/app-oci?cursor=not*base64!", creds).status()).isEqualTo(400);
    }

    @Test
    void listsTagsWithTheirDigests() {
        Answer answer = get("/list-with-metadata/team/app-docker", creds);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JsonNode entry = answer.json().get(0);
        assertThat(entry.path("tag").asText()).isEqualTo("2.0");
        assertThat(entry.path("digest").asText()).isEqualTo(dockerImage.manifestDigest());
    }

    @Test
    void describesAnOciAndADockerImage() {
        for (PushedImage image : List.of(ociImage, dockerImage)) {
            Answer answer = get("/image-metadata/" + image.repository() + ":" + image.tag(), creds);
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            JsonNode meta = answer.json();
            assertThat(meta.path("digest").asText()).isEqualTo(image.manifestDigest());
            assertThat(meta.path("manifestDigest").asText()).isEqualTo(image.manifestDigest());
            assertThat(meta.path("indexDigest").isNull()).isTrue();
            assertThat(meta.path("mediaType").asText()).isEqualTo(image.mediaType());
            assertThat(meta.path("configDigest").asText()).isEqualTo(image.configDigest());
            assertThat(names(meta.path("layers"), "digest")).isEqualTo(image.layerDigests());
            assertThat(meta.path("platform").asText()).isEqualTo("linux/amd64");
            assertThat(meta.path("totalSize").asLong()).isEqualTo(image.configSize()
                    + image.layers().stream().mapToLong(TestImages.Layer::size).sum());
        }
    }

    @Test
    void resolvesMultiArchImagesPerPlatform() {
        for (PushedIndex index : List.of(ociIndex, dockerList)) {
            for (String platform : List.of("linux/amd64", "linux/arm64")) {
                Answer answer = get("/image-metadata/" + index.repository() + ":" + index.tag() + "?platform=" + platform, creds);
                assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
                JsonNode meta = answer.json();
                assertThat(meta.path("digest").asText()).isEqualTo(index.indexDigest());
                assertThat(meta.path("indexDigest").asText()).isEqualTo(index.indexDigest());
                assertThat(meta.path("manifestDigest").asText()).as(index.repository() + " " + platform)
                        .isEqualTo(index.childDigests().get(platform.equals("linux/arm64") ? armKey(index) : platform));
                assertThat(meta.path("platform").asText()).startsWith(platform);
                assertThat(names(meta.path("platforms"))).hasSize(2).noneMatch(p -> p.startsWith("unknown"));
            }
        }
        Answer missing = get("/image-metadata/multi/oci:v1?platform=linux/s390x", creds);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo("PLATFORM_NOT_FOUND");
    }

    @Test
    void stateIdentifierIsTheTopLevelDigest() {
        Answer answer = get("/get-state-identifier?image=multi/oci:v1", creds);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.json().path("stateIdentifier").asText()).isEqualTo(ociIndex.indexDigest());
        Answer pinned = get("/get-state-identifier?image=team/app-oci@" + ociImage.manifestDigest(), creds);
        assertThat(pinned.json().path("stateIdentifier").asText()).isEqualTo(ociImage.manifestDigest());
    }

    @Test
    void responsesNeverEchoTheCredentials() {
        Answer answer = get("/list/team/app-oci", creds);
        assertThat(answer.response().headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("Authorization"));
        assertThat(answer.response().headers().map().toString()).doesNotContain(creds).doesNotContain(registry.password());
        assertThat(answer.body()).doesNotContain(registry.password());
    }

    private static String armKey(PushedIndex index) {
        return index.childDigests().keySet().stream().filter(k -> k.startsWith("linux/arm64")).findFirst().orElseThrow();
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> names(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }
}
