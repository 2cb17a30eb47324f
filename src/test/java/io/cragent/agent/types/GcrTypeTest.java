package io.cragent.agent.types;

import io.cragent.testsupport.FakeServiceAccountKey;
import io.cragent.testsupport.TestImages;
import io.cragent.testsupport.TestImages.PushedImage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * gcr: a generated service-account JSON key as the {@code _json_key} password (in snyk's unescaped
 * {@code CR_CREDENTIALS} line and JSON-escaped), {@code _json_key_base64} and {@code oauth2accesstoken}, all as
 * Basic to a fake of Google's token realm ({@code gcr.io/v2/token}, service {@code gcr.io}); the real registry
 * behind it lists the project's repositories by catalog and serves tags and images.
 */
class GcrTypeTest extends VendorTypeTestSupport {
    private static final String SERVICE = "gcr.io";
    private static final String ACCESS_TOKEN = "ya29.a0AfB_fake-access-token-for-tests";
    private final FakeServiceAccountKey key = FakeServiceAccountKey.generate("my-project", "snyk-reader");
    private GoogleTokenFake google;
    private PushedImage cli;

    @BeforeAll
    void start() {
        startPeersBehindRealm(GoogleTokenFake.REALM_PATH, SERVICE);
        google = new GoogleTokenFake(vendor, registry, SERVICE, key, ACCESS_TOKEN, "my-project/*");
        TestImages.pushImage(registry, "my-project/app", "1.0", TestImages.Format.OCI);
        cli = TestImages.pushImage(registry, "my-project/team/cli", "2.0", TestImages.Format.DOCKER_V2S2);
        TestImages.pushImage(registry, "other-project/secret", "1.0", TestImages.Format.OCI);
    }

    private String project() {
        return registry.hostPort() + "/my-project";
    }

    @Test
    void theJsonKeyAsSnykSendsItUnescapedListsTagsAndDescribes() {
        String snykLine = credentials("gcr", "_json_key", key.json(), project());
        assertThat(new String(Base64.getDecoder().decode(snykLine), StandardCharsets.UTF_8))
                .as("the key's quotes and newlines go into the line as they are").contains("\"type\": \"service_account\",\n");
        google.clear();
        Answer list = get("/list", snykLine);
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(texts(list.json())).containsExactly("app", "team/cli");
        Answer tags = get("/list/team/cli", snykLine);
        assertThat(texts(tags.json())).as(tags.toString()).containsExactly("2.0");
        Answer meta = get("/image-metadata/team/cli:2.0", snykLine);
        assertThat(meta.status()).as(meta.toString()).isEqualTo(200);
        assertThat(meta.json().path("manifestDigest").asText()).isEqualTo(cli.manifestDigest());
        assertThat(google.usernames()).isNotEmpty().containsOnly("_json_key");
        assertThat(vendor.requests(GoogleTokenFake.REALM_PATH)).allMatch(r -> r.isAuthScheme("Basic"))
                .anyMatch(r -> r.queryParams("scope").contains("registry:catalog:*"))
                .allMatch(r -> SERVICE.equals(r.queryParam("service")));
    }

    @Test
    void theJsonKeyEscapedInJsonServesTheSame() {
        String escaped = escapedCredentials("GoogleCR", "_json_key", key.json(), project());
        Answer meta = get("/image-metadata/team/cli:2.0", escaped);
        assertThat(meta.json().path("manifestDigest").asText()).as(meta.toString()).isEqualTo(cli.manifestDigest());
        assertThat(texts(get("/list/app", escaped).json())).containsExactly("1.0");
    }

    @Test
    void theKeyInBase64AndAnAccessTokenAuthenticateToo() {
        Answer base64 = get("/list/app", credentials("gcr", "_json_key_base64", key.base64(), project()));
        assertThat(texts(base64.json())).as(base64.toString()).containsExactly("1.0");
        Answer token = get("/list", credentials("gcr", "oauth2accesstoken", ACCESS_TOKEN, project()));
        assertThat(texts(token.json())).as(token.toString()).containsExactly("app", "team/cli");
    }

    @Test
    void anotherKeyForTheSameAccountIsRefusedWithoutShowingIt() {
        FakeServiceAccountKey revoked = FakeServiceAccountKey.generate("my-project", "snyk-reader");
        Answer answer = get("/list/app", credentials("gcr", "_json_key", revoked.json(), project()));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(401);
        assertThat(answer.errorCode()).isEqualTo("AUTH_FAILED");
        assertThat(answer.body()).doesNotContain(revoked.privateKeyId()).doesNotContain("PRIVATE KEY")
                .doesNotContain(revoked.clientEmail());
    }
}
