package io.cragent.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.testsupport.DistributionRegistry.Mode;
import io.cragent.testsupport.TestImages.Format;
import io.cragent.testsupport.TestImages.Platform;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Checks the test peers themselves (no agent code): every registry mode starts and authenticates as
 * registries.md §6 says, pushed images are served with the digests and media types TestImages reports,
 * 105 repositories page through the catalog, and FaultyRegistry misbehaves exactly as scripted.
 */
@Timeout(60)
class RegistryPeersTest {

    private static final String OCI_ACCEPT = OciLayout.OCI_MANIFEST + ", " + OciLayout.OCI_INDEX;
    private static final HttpClient PLAIN_CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private static DistributionRegistry plain;
    private static DistributionRegistry tls;
    private static DistributionRegistry token;

    @BeforeAll
    static void startRegistries() {
        plain = DistributionRegistry.start(Mode.PLAIN_HTPASSWD);
        tls = DistributionRegistry.start(Mode.TLS_HTPASSWD);
        token = DistributionRegistry.start(Mode.TLS_TOKEN);
    }

    @AfterAll
    static void stopRegistries() {
        for (DistributionRegistry registry : new DistributionRegistry[] {plain, tls, token}) {
            if (registry != null) {
                registry.close();
            }
        }
    }

    // ---- registry modes ------------------------------------------------------------------------------

    @Test
    void anonymousRegistryAnswersWithoutCredentialsAndCleansUp() throws Exception {
        java.nio.file.Path dir;
        try (DistributionRegistry anonymous = DistributionRegistry.start(Mode.ANONYMOUS_PLAIN)) {
            dir = anonymous.tempDir();
            assertThat(anonymous.baseUrl()).isEqualTo("http://" + anonymous.hostPort()).startsWith("http://127.0.0.1:");
            assertThat(anonymous.caCertPath()).isNull();
            assertThat(anonymous.tokenIssuer()).isNull();
            assertThat(get(anonymous.httpClient(), anonymous.baseUrl() + "/v2/", Map.of()).statusCode()).isEqualTo(200);
            assertThat(Files.readString(anonymous.configFile())).contains("addr: 127.0.0.1:" + anonymous.port())
                    .doesNotContain("debug").doesNotContain("0.0.0.0");
        }
        assertThat(dir).doesNotExist();
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"PLAIN_HTPASSWD", "TLS_HTPASSWD"})
    void htpasswdModesChallengeWithBasicAndAcceptTheUsers(Mode mode) throws Exception {
        DistributionRegistry registry = mode == Mode.PLAIN_HTPASSWD ? plain : tls;
        assertThat(registry.baseUrl()).startsWith(mode.tls() ? "https://127.0.0.1:" : "http://127.0.0.1:");
        assertThat(registry.caCertPath() == null).isEqualTo(!mode.tls());
        String v2 = registry.baseUrl() + "/v2/";

        HttpResponse<String> anonymous = get(registry.httpClient(), v2, Map.of());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"basic-realm\"");
        assertThat(anonymous.body()).contains("UNAUTHORIZED");

        assertThat(get(registry.httpClient(), v2, basic(registry.username(), registry.password())).statusCode())
                .isEqualTo(200);
        assertThat(get(registry.httpClient(), v2, basic(registry.readerUsername(), registry.readerPassword()))
                .statusCode()).isEqualTo(200);
        assertThat(get(registry.httpClient(), v2, basic(registry.username(), "wrong")).statusCode()).isEqualTo(401);

        // 2.8.2 re-reads htpasswd per request, so users can be added to a running registry.
        String newUser = "late-" + mode.name().toLowerCase().replace('_', '-');
        assertThat(get(registry.httpClient(), v2, basic(newUser, "late-pass")).statusCode()).isEqualTo(401);
        registry.addUser(newUser, "late-pass");
        assertThat(get(registry.httpClient(), v2, basic(newUser, "late-pass")).statusCode()).isEqualTo(200);
    }

    @Test
    void tlsRegistryIsOnlyTrustedWithTheTestCa() throws Exception {
        HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> get(untrusting, tls.baseUrl() + "/v2/", Map.of()))
                .isInstanceOf(IOException.class);
        assertThat(Files.readString(tls.caCertPath())).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(tls.certDir().resolve("ca.crt")).isEqualTo(tls.caCertPath());
    }

    @Test
    void tokenRegistryAcceptsIssuerTokens() throws Exception {
        TokenIssuer issuer = token.tokenIssuer();
        issuer.clearRequests();
        String v2 = token.baseUrl() + "/v2/";

        HttpResponse<String> challenge = get(token.httpClient(), v2, Map.of());
        assertThat(challenge.statusCode()).isEqualTo(401);
        assertThat(challenge.headers().firstValue("WWW-Authenticate")).hasValue(
                "Bearer realm=\"" + issuer.realm() + "\",service=\"test-registry\"");

        HttpResponse<String> tokenResponse = get(token.httpClient(),
                issuer.realm() + "?service=test-registry", basic(token.username(), token.password()));
        assertThat(tokenResponse.statusCode()).isEqualTo(200);
        JsonNode body = OciLayout.JSON.readTree(tokenResponse.body());
        assertThat(body.path("token").asText()).isEqualTo(body.path("access_token").asText()).isNotEmpty();
        assertThat(body.path("expires_in").asInt()).isEqualTo(300);
        assertThat(body.path("issued_at").asText()).endsWith("Z");
        JsonNode header = jwtPart(body.path("token").asText(), 0);
        assertThat(header.path("alg").asText()).isEqualTo("RS256");
        assertThat(header.path("x5c")).hasSize(1);
        JsonNode claims = jwtPart(body.path("token").asText(), 1);
        assertThat(claims.path("aud").isTextual()).isTrue();
        assertThat(claims.path("iss").asText()).isEqualTo("test-token-issuer");
        assertThat(claims.path("sub").asText()).isEqualTo("admin");

        assertThat(get(token.httpClient(), v2, bearer(body.path("token").asText())).statusCode()).isEqualTo(200);

        assertThat(issuer.requests()).hasSize(1);
        RecordedRequest recorded = issuer.requests().get(0);
        assertThat(recorded.hadAuthorization()).isTrue();
        assertThat(recorded.authScheme()).isEqualTo("Basic");
        assertThat(recorded.toString()).doesNotContain(token.password()).doesNotContain(
                java.util.Base64.getEncoder().encodeToString("admin:admin-pass".getBytes(StandardCharsets.UTF_8)));
        assertThat(recorded.queryParam("service")).isEqualTo("test-registry");
    }

    @Test
    void tokenIssuerGrantsTheIntersectionAndRejectsBadCredentials() throws Exception {
        TokenIssuer issuer = token.tokenIssuer();
        issuer.clearRequests();
        assertThat(get(token.httpClient(), issuer.realm() + "?service=test-registry",
                basic("admin", "wrong")).statusCode()).isEqualTo(401);

        JsonNode anonymous = claims(tokenFor(null, null, "repository:app/x:pull"));
        assertThat(anonymous.path("sub").asText()).isEmpty();
        assertThat(anonymous.path("access")).isEmpty();

        JsonNode reader = claims(tokenFor(token.readerUsername(), token.readerPassword(),
                "repository:app/x:pull,push", "registry:catalog:*"));
        assertThat(reader.path("access")).hasSize(1);
        assertThat(reader.path("access").get(0).path("name").asText()).isEqualTo("app/x");
        assertThat(reader.path("access").get(0).path("actions").toString()).isEqualTo("[\"pull\"]");
        assertThat(issuer.requests()).extracting(r -> r.queryParams("scope"))
                .contains(List.of("repository:app/x:pull,push", "registry:catalog:*"));
        assertThat(issuer.issuedTokens()).last().satisfies(t -> assertThat(t.subject()).isEqualTo("reader"));

        issuer.user("app-reader", "pw").grant("app/*", "pull");
        JsonNode glob = claims(tokenFor("app-reader", "pw", "repository:app/web:pull", "repository:other/web:pull"));
        assertThat(glob.path("access")).hasSize(1);
        assertThat(glob.path("access").get(0).path("name").asText()).isEqualTo("app/web");
    }

    @Test
    void tokenRegistryAnswersInsufficientScopeAndInvalidToken() throws Exception {
        TokenIssuer issuer = token.tokenIssuer();
        String catalog = token.baseUrl() + "/v2/_catalog";

        String readerToken = tokenFor(token.readerUsername(), token.readerPassword(), "registry:catalog:*");
        HttpResponse<String> insufficient = get(token.httpClient(), catalog, bearer(readerToken));
        assertThat(insufficient.statusCode()).isEqualTo(401);
        assertThat(insufficient.headers().firstValue("WWW-Authenticate").orElse(""))
                .contains("error=\"insufficient_scope\"").contains("scope=\"registry:catalog:*\"");

        String adminToken = tokenFor(token.username(), token.password(), "registry:catalog:*");
        assertThat(get(token.httpClient(), catalog, bearer(adminToken)).statusCode()).isEqualTo(200);

        try {
            issuer.setMintWrongIssuer(true);
            assertInvalidToken(catalog, tokenFor(token.username(), token.password(), "registry:catalog:*"));
            issuer.reset();
            issuer.setMintWrongAudience(true);
            assertInvalidToken(catalog, tokenFor(token.username(), token.password(), "registry:catalog:*"));
            issuer.reset();
            issuer.setMintExpired(true);
            assertInvalidToken(catalog, tokenFor(token.username(), token.password(), "registry:catalog:*"));
            issuer.reset();
            issuer.setExpiresIn(2);
            JsonNode shortLived = OciLayout.JSON.readTree(get(token.httpClient(),
                    issuer.realm() + "?service=test-registry&scope=registry:catalog:*",
                    basic(token.username(), token.password())).body());
            assertThat(shortLived.path("expires_in").asInt()).isEqualTo(2);
            JsonNode shortClaims = claims(shortLived.path("token").asText());
            assertThat(shortClaims.path("exp").asLong() - shortClaims.path("iat").asLong()).isEqualTo(2);
        } finally {
            issuer.reset();
        }
    }

    // ---- pushed images -------------------------------------------------------------------------------

    @Test
    void pushesOciImageServedWithStoredDigest() throws Exception {
        TestImages.PushedImage image = TestImages.pushImage(plain, "peers/oci", "1.0", Format.OCI);
        assertThat(image.mediaType()).isEqualTo(OciLayout.OCI_MANIFEST);
        assertThat(image.layers()).hasSize(2);
        assertThat(image.platform()).isEqualTo(Platform.LINUX_AMD64);

        HttpResponse<byte[]> manifest = getBytes(plain.httpClient(), plain.baseUrl() + "/v2/peers/oci/manifests/1.0",
                Map.of("Accept", OCI_ACCEPT, "Authorization", RegistryHttp.basic(plain.username(), plain.password())));
        assertThat(manifest.statusCode()).isEqualTo(200);
        assertThat(manifest.headers().firstValue("Content-Type")).hasValue(OciLayout.OCI_MANIFEST);
        assertThat(manifest.headers().firstValue("Docker-Content-Digest")).hasValue(image.manifestDigest());
        assertThat(Digests.sha256(manifest.body())).isEqualTo(image.manifestDigest());

        // The config blob carries platform, labels and diff_ids.
        HttpResponse<byte[]> config = getBytes(plain.httpClient(),
                plain.baseUrl() + "/v2/peers/oci/blobs/" + image.configDigest(),
                Map.of("Authorization", RegistryHttp.basic(plain.username(), plain.password())));
        assertThat(Digests.sha256(config.body())).isEqualTo(image.configDigest());
        JsonNode configJson = OciLayout.JSON.readTree(config.body());
        assertThat(configJson.path("architecture").asText()).isEqualTo("amd64");
        assertThat(configJson.path("rootfs").path("diff_ids")).hasSize(2);
        assertThat(configJson.path("config").path("Labels").path("io.cragent.test.platform").asText())
                .isEqualTo("linux/amd64");
        // Same OCI manifest, only a Docker v2 Accept: 2.8.2 refuses with 404.
        assertThat(getBytes(plain.httpClient(), plain.baseUrl() + "/v2/peers/oci/manifests/1.0",
                Map.of("Accept", OciLayout.DOCKER_MANIFEST,
                        "Authorization", RegistryHttp.basic(plain.username(), plain.password()))).statusCode())
                .isEqualTo(404);
    }

    @Test
    void pushesDockerV2s2ImageThroughTokenAuth() throws Exception {
        TestImages.PushedImage image = TestImages.pushImage(token, "peers/docker", "1.0", Format.DOCKER_V2S2,
                TestImages.ImageSpec.of(Platform.LINUX_ARM64_V8).withLabel("purpose", "peers"));
        assertThat(image.mediaType()).isEqualTo(OciLayout.DOCKER_MANIFEST);
        assertThat(image.layers()).allSatisfy(l -> assertThat(l.mediaType()).isEqualTo(OciLayout.DOCKER_LAYER_GZIP));

        String bearer = new RegistryHttp(token, token.readerUsername(), token.readerPassword())
                .token(List.of(RegistryHttp.pullScope("peers/docker")));
        HttpResponse<byte[]> head = send(token.httpClient(), "HEAD",
                token.baseUrl() + "/v2/peers/docker/manifests/1.0",
                Map.of("Accept", OciLayout.DOCKER_MANIFEST, "Authorization", "Bearer " + bearer));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Type")).hasValue(OciLayout.DOCKER_MANIFEST);
        assertThat(head.headers().firstValue("Docker-Content-Digest")).hasValue(image.manifestDigest());
        // skopeo asked for pull,push with the admin's Basic credentials.
        assertThat(token.tokenIssuer().requests())
                .anySatisfy(r -> assertThat(r.queryParams("scope")).contains("repository:peers/docker:pull,push"));
    }

    @Test
    void pushesOciIndexWithAttestation() throws Exception {
        TestImages.PushedIndex index = TestImages.pushMultiArch(tls, "peers/multi-oci", "1.0", Format.OCI);
        assertThat(index.mediaType()).isEqualTo(OciLayout.OCI_INDEX);
        assertThat(index.childDigests()).containsOnlyKeys("linux/amd64", "linux/arm64/v8");
        assertThat(index.attestationDigest()).startsWith("sha256:");

        Map<String, String> auth = Map.of("Authorization", RegistryHttp.basic(tls.username(), tls.password()));
        HttpResponse<byte[]> response = getBytes(tls.httpClient(), tls.baseUrl() + "/v2/peers/multi-oci/manifests/1.0",
                merge(auth, "Accept", OCI_ACCEPT));
        assertThat(response.headers().firstValue("Content-Type")).hasValue(OciLayout.OCI_INDEX);
        assertThat(response.headers().firstValue("Docker-Content-Digest")).hasValue(index.indexDigest());
        JsonNode manifests = OciLayout.JSON.readTree(response.body()).path("manifests");
        assertThat(manifests).hasSize(3);
        assertThat(manifests.get(2).path("annotations").path("vnd.docker.reference.type").asText())
                .isEqualTo("attestation-manifest");
        assertThat(manifests.get(2).path("platform").path("os").asText()).isEqualTo("unknown");

        String arm = index.digestFor(Platform.LINUX_ARM64_V8);
        HttpResponse<byte[]> child = getBytes(tls.httpClient(),
                tls.baseUrl() + "/v2/peers/multi-oci/manifests/" + arm, merge(auth, "Accept", OCI_ACCEPT));
        assertThat(child.headers().firstValue("Content-Type")).hasValue(OciLayout.OCI_MANIFEST);
        assertThat(Digests.sha256(child.body())).isEqualTo(arm);
        // OCI index with only the Docker list Accept: 404 in 2.8.2.
        assertThat(getBytes(tls.httpClient(), tls.baseUrl() + "/v2/peers/multi-oci/manifests/1.0",
                merge(auth, "Accept", OciLayout.DOCKER_MANIFEST_LIST)).statusCode()).isEqualTo(404);
    }

    @Test
    void pushesDockerManifestList() throws Exception {
        TestImages.PushedIndex list = TestImages.pushMultiArch(plain, "peers/multi-docker", "1.0", Format.DOCKER_V2S2);
        assertThat(list.mediaType()).isEqualTo(OciLayout.DOCKER_MANIFEST_LIST);
        assertThat(list.attestationDigest()).isNull();
        assertThat(list.images().values()).allSatisfy(i -> assertThat(i.mediaType()).isEqualTo(OciLayout.DOCKER_MANIFEST));

        Map<String, String> auth = Map.of("Authorization", RegistryHttp.basic(plain.username(), plain.password()));
        String url = plain.baseUrl() + "/v2/peers/multi-docker/manifests/1.0";
        HttpResponse<byte[]> response = getBytes(plain.httpClient(), url,
                merge(auth, "Accept", OciLayout.DOCKER_MANIFEST_LIST + ", " + OciLayout.DOCKER_MANIFEST));
        assertThat(response.headers().firstValue("Content-Type")).hasValue(OciLayout.DOCKER_MANIFEST_LIST);
        assertThat(response.headers().firstValue("Docker-Content-Digest")).hasValue(list.indexDigest());
        // Only the v2 Accept: 2.8.2 answers with the linux/amd64 child.
        HttpResponse<byte[]> amd64 = getBytes(plain.httpClient(), url, merge(auth, "Accept", OciLayout.DOCKER_MANIFEST));
        assertThat(amd64.headers().firstValue("Docker-Content-Digest")).hasValue(list.digestFor(Platform.LINUX_AMD64));
    }

    @Test
    void pushManyRepositoriesFillsAPagedCatalog() throws Exception {
        long started = System.nanoTime();
        List<String> names = TestImages.pushManyRepositories(plain, "bulk", 105);
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("pushManyRepositories(105) took " + millis + " ms");
        assertThat(names).hasSize(105).startsWith("bulk-000").endsWith("bulk-104");
        assertThat(millis).isLessThan(30_000);

        // Page by hand through the relative Link headers 2.8.2 sends.
        Map<String, String> auth = Map.of("Authorization", RegistryHttp.basic(plain.username(), plain.password()));
        List<String> catalog = new ArrayList<>();
        String next = "/v2/_catalog?n=40";
        int pages = 0;
        while (next != null) {
            HttpResponse<String> page = get(plain.httpClient(), plain.baseUrl() + next, auth);
            assertThat(page.statusCode()).isEqualTo(200);
            OciLayout.JSON.readTree(page.body()).path("repositories").forEach(n -> catalog.add(n.asText()));
            next = RegistryHttp.nextLink(page.headers().firstValue("Link").orElse(null));
            if (next != null) {
                assertThat(next).startsWith("/v2/_catalog?");
            }
            pages++;
        }
        assertThat(pages).isGreaterThanOrEqualTo(3);
        assertThat(catalog).hasSizeGreaterThanOrEqualTo(105).containsAll(names).doesNotHaveDuplicates();

        HttpResponse<byte[]> last = send(plain.httpClient(), "HEAD", plain.baseUrl() + "/v2/bulk-104/manifests/latest",
                merge(auth, "Accept", OciLayout.OCI_MANIFEST));
        assertThat(last.statusCode()).isEqualTo(200);
    }

    @Test
    void pushManyRepositoriesWorksWithTokens() {
        List<String> names = TestImages.pushManyRepositories(token, "tok", 3);
        assertThat(new RegistryHttp(token).catalog(100)).containsAll(names);
        assertThat(new RegistryHttp(token).getManifest("tok-002", "latest").mediaType())
                .isEqualTo(OciLayout.OCI_MANIFEST);
    }

    // ---- FaultyRegistry -------------------------------------------------------------------------------

    @Test
    void faultyRegistryServesAValidImage() throws Exception {
        try (FaultyRegistry fake = FaultyRegistry.start()) {
            HttpResponse<byte[]> manifest = getBytes(PLAIN_CLIENT, fake.baseUrl() + fake.manifestPath(), Map.of());
            assertThat(manifest.statusCode()).isEqualTo(200);
            assertThat(manifest.headers().firstValue("Content-Type")).hasValue(OciLayout.OCI_MANIFEST);
            assertThat(manifest.headers().firstValue("Docker-Content-Digest")).hasValue(fake.manifestDigest());
            assertThat(Digests.sha256(manifest.body())).isEqualTo(fake.manifestDigest());
            JsonNode json = OciLayout.JSON.readTree(manifest.body());
            assertThat(json.path("config").path("digest").asText()).isEqualTo(fake.configDigest());
            assertThat(json.path("layers").get(0).path("digest").asText()).isEqualTo(fake.layerDigest());
            assertThat(Digests.sha256(getBytes(PLAIN_CLIENT, fake.baseUrl() + fake.layerBlobPath(), Map.of()).body()))
                    .isEqualTo(fake.layerDigest());
            assertThat(Digests.sha256(getBytes(PLAIN_CLIENT, fake.baseUrl() + fake.configBlobPath(), Map.of()).body()))
                    .isEqualTo(fake.configDigest());
            HttpResponse<byte[]> head = send(PLAIN_CLIENT, "HEAD", fake.baseUrl() + fake.manifestByDigestPath(), Map.of());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(fake.manifestBytes().length);
            assertThat(getBytes(PLAIN_CLIENT, fake.baseUrl() + fake.blobPath("sha256:" + "0".repeat(64)), Map.of())
                    .statusCode()).isEqualTo(404);
        }
    }

    @Test
    void faultyRegistryThrottlesAndFailsAsScripted() throws Exception {
        try (FaultyRegistry fake = FaultyRegistry.start()) {
            fake.throttle(fake.manifestPath(), 2).serverError(fake.layerBlobPath(), 1);
            String manifest = fake.baseUrl() + fake.manifestPath();
            HttpResponse<byte[]> first = getBytes(PLAIN_CLIENT, manifest, Map.of());
            assertThat(first.statusCode()).isEqualTo(429);
            assertThat(first.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(getBytes(PLAIN_CLIENT, manifest, Map.of()).statusCode()).isEqualTo(429);
            assertThat(getBytes(PLAIN_CLIENT, manifest, Map.of()).statusCode()).isEqualTo(200);

            String layer = fake.baseUrl() + fake.layerBlobPath();
            assertThat(getBytes(PLAIN_CLIENT, layer, Map.of()).statusCode()).isEqualTo(500);
            assertThat(getBytes(PLAIN_CLIENT, layer, Map.of()).statusCode()).isEqualTo(200);
            assertThat(fake.requestCount(fake.manifestPath())).isEqualTo(3);
            assertThat(fake.requestCount(fake.layerBlobPath())).isEqualTo(2);
        }
    }

    @Test
    void faultyRegistryRedirectsToAnotherOriginAndRecordsAuthorization() throws Exception {
        try (FaultyRegistry fake = FaultyRegistry.start("user", "pass")) {
            fake.redirectToOtherOrigin(fake.layerBlobPath());
            Map<String, String> auth = Map.of("Authorization", RegistryHttp.basic("user", "pass"));
            HttpResponse<byte[]> redirect = getBytes(PLAIN_CLIENT, fake.baseUrl() + fake.layerBlobPath(), auth);
            assertThat(redirect.statusCode()).isEqualTo(307);
            String location = redirect.headers().firstValue("Location").orElseThrow();
            assertThat(location).startsWith(fake.otherOriginBaseUrl()).isNotEqualTo(fake.baseUrl());

            // A careful client drops Authorization on the cross-origin hop; a careless one leaks it.
            HttpResponse<byte[]> blob = getBytes(PLAIN_CLIENT, location, Map.of());
            assertThat(Digests.sha256(blob.body())).isEqualTo(fake.layerDigest());
            getBytes(PLAIN_CLIENT, location, auth);
            assertThat(fake.otherOriginRequests()).extracting(RecordedRequest::hadAuthorization)
                    .containsExactly(false, true);
            assertThat(fake.otherOriginRequests().get(1).authScheme()).isEqualTo("Basic");
            assertThat(fake.requests()).allSatisfy(r -> assertThat(r.isAuthScheme("basic")).isTrue());
        }
    }

    @Test
    void faultyRegistryRequiresBasicAuthWhenConfigured() throws Exception {
        try (FaultyRegistry fake = FaultyRegistry.start("user", "pass")) {
            HttpResponse<String> anonymous = get(PLAIN_CLIENT, fake.baseUrl() + "/v2/", Map.of());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"fake\"");
            assertThat(get(PLAIN_CLIENT, fake.baseUrl() + "/v2/", basic("user", "wrong")).statusCode()).isEqualTo(401);
            assertThat(get(PLAIN_CLIENT, fake.baseUrl() + "/v2/", basic("user", "pass")).statusCode()).isEqualTo(200);
            assertThat(fake.requests()).extracting(RecordedRequest::authScheme).containsExactly(null, "Basic", "Basic");
        }
    }

    @Test
    void faultyRegistryServesCorruptAndTruncatedContent() throws Exception {
        try (FaultyRegistry fake = FaultyRegistry.start()) {
            fake.corrupt(fake.layerBlobPath()).corrupt(fake.manifestPath());
            HttpResponse<byte[]> layer = getBytes(PLAIN_CLIENT, fake.baseUrl() + fake.layerBlobPath(), Map.of());
            assertThat(layer.headers().firstValue("Docker-Content-Digest")).hasValue(fake.layerDigest());
            assertThat(layer.body()).hasSameSizeAs(fake.layerBytes());
            assertThat(Digests.sha256(layer.body())).isNotEqualTo(fake.layerDigest());
            HttpResponse<byte[]> manifest = getBytes(PLAIN_CLIENT, fake.baseUrl() + fake.manifestPath(), Map.of());
            assertThat(Digests.sha256(manifest.body())).isNotEqualTo(fake.manifestDigest());
            fake.clearFaults();

            fake.truncate(fake.layerBlobPath(), 1);
            assertThatThrownBy(() -> getBytes(PLAIN_CLIENT, fake.baseUrl() + fake.layerBlobPath(), Map.of()))
                    .isInstanceOf(IOException.class);
            int half = fake.layerBytes().length / 2;
            HttpResponse<byte[]> rest = getBytes(PLAIN_CLIENT, fake.baseUrl() + fake.layerBlobPath(),
                    Map.of("Range", "bytes=" + half + "-"));
            assertThat(rest.statusCode()).isEqualTo(206);
            assertThat(rest.headers().firstValue("Content-Range"))
                    .hasValue("bytes " + half + "-" + (fake.layerBytes().length - 1) + "/" + fake.layerBytes().length);
            assertThat(fake.requests()).last().satisfies(r -> assertThat(r.range()).isEqualTo("bytes=" + half + "-"));
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private static void assertInvalidToken(String url, String jwt) throws Exception {
        HttpResponse<String> response = get(token.httpClient(), url, bearer(jwt));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).contains("error=\"invalid_token\"");
    }

    private static String tokenFor(String user, String password, String... scopes) throws Exception {
        StringBuilder url = new StringBuilder(token.tokenIssuer().realm()).append("?service=test-registry");
        for (String scope : scopes) {
            url.append("&scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        }
        HttpResponse<String> response = get(token.httpClient(), url.toString(),
                user == null ? Map.of() : basic(user, password));
        assertThat(response.statusCode()).isEqualTo(200);
        return OciLayout.JSON.readTree(response.body()).path("token").asText();
    }

    private static JsonNode claims(String jwt) throws IOException {
        return jwtPart(jwt, 1);
    }

    private static JsonNode jwtPart(String jwt, int part) throws IOException {
        return OciLayout.JSON.readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[part]));
    }

    private static Map<String, String> basic(String user, String password) {
        return Map.of("Authorization", RegistryHttp.basic(user, password));
    }

    private static Map<String, String> bearer(String jwt) {
        return Map.of("Authorization", "Bearer " + jwt);
    }

    private static Map<String, String> merge(Map<String, String> headers, String name, String value) {
        Map<String, String> merged = new java.util.HashMap<>(headers);
        merged.put(name, value);
        return merged;
    }

    private static HttpResponse<String> get(HttpClient client, String url, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> getBytes(HttpClient client, String url, Map<String, String> headers)
            throws IOException, InterruptedException {
        return send(client, "GET", url, headers);
    }

    private static HttpResponse<byte[]> send(HttpClient client, String method, String url, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
