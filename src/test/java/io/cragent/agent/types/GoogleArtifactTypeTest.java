package io.cragent.agent.types;

import io.cragent.testsupport.FakeServiceAccountKey;
import io.cragent.testsupport.TestImages;
import io.cragent.testsupport.TestImages.PushedImage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * google-artifact-cr: registryBase {@code <region>-docker.pkg.dev/<project>/<repository>}, images three levels deep;
 * the service-account key ({@code _json_key}, {@code _json_key_base64}) or an access token as Basic to a fake of
 * the region's token realm ({@code <region>-docker.pkg.dev/v2/token}); the real registry behind it lists the
 * repository's images by catalog and serves tags and images.
 */
class GoogleArtifactTypeTest extends VendorTypeTestSupport {
    private static final String SERVICE = "europe-west3-docker.pkg.dev";
    private static final String ACCESS_TOKEN = "ya29.c.b0Aaekm1fake-artifact-registry-token";
    private final FakeServiceAccountKey key = FakeServiceAccountKey.generate("acme-prod", "snyk-ar-reader");
    private GoogleTokenFake google;
    private PushedImage api;

    @BeforeAll
    void start() {
        startPeersBehindRealm(GoogleTokenFake.REALM_PATH, SERVICE);
        google = new GoogleTokenFake(vendor, registry, SERVICE, key, ACCESS_TOKEN, "acme-prod/docker-repo/*");
        api = TestImages.pushImage(registry, "acme-prod/docker-repo/api", "3.1", TestImages.Format.OCI);
        TestImages.pushImage(registry, "acme-prod/docker-repo/jobs/nightly", "1.0", TestImages.Format.DOCKER_V2S2);
        TestImages.pushImage(registry, "acme-prod/other-repo/private", "1.0", TestImages.Format.OCI);
    }

    private String repository(String username, String password) {
        return credentials("google-artifact-cr", username, password, registry.hostPort() + "/acme-prod/docker-repo");
    }

    @Test
    void theJsonKeyListsTheRepositorysImagesTagsAndMetadata() {
        google.clear();
        String credentials = repository("_json_key", key.json());
        Answer list = get("/list", credentials);
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(texts(list.json())).containsExactly("api", "jobs/nightly");
        assertThat(texts(get("/list/api", credentials).json())).containsExactly("3.1");
        Answer meta = get("/image-metadata/api:3.1", credentials);
        assertThat(meta.status()).as(meta.toString()).isEqualTo(200);
        assertThat(meta.json().path("manifestDigest").asText()).isEqualTo(api.manifestDigest());
        assertThat(google.usernames()).isNotEmpty().containsOnly("_json_key");
        assertThat(vendor.requests(GoogleTokenFake.REALM_PATH))
                .anyMatch(r -> r.queryParams("scope").contains("repository:acme-prod/docker-repo/api:pull"));
    }

    @Test
    void theBase64KeyAndAnAccessTokenAuthenticateToo() {
        Answer base64 = get("/list/jobs/nightly", repository("_json_key_base64", key.base64()));
        assertThat(texts(base64.json())).as(base64.toString()).containsExactly("1.0");
        Answer token = get("/image-metadata/api:3.1", repository("oauth2accesstoken", ACCESS_TOKEN));
        assertThat(token.json().path("manifestDigest").asText()).as(token.toString()).isEqualTo(api.manifestDigest());
    }

    @Test
    void aKeyBrokenByTheShellIsAnAuthenticationFailure() {
        // What a shell that collapses the key's newlines does: the private key no longer parses.
        Answer answer = get("/list/api", repository("_json_key", key.json().replace("\\n", "")));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(401);
        assertThat(answer.errorCode()).isEqualTo("AUTH_FAILED");
        assertThat(answer.body()).doesNotContain("PRIVATE KEY");
    }
}
