package io.cragent.agent;

import io.cragent.testsupport.FaultyRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input gets a clear 4xx JSON error and nothing else happens: the registry behind the credentials (a fake that
 * records every request) is never called.
 */
class HostileInputTest extends AgentTestSupport {
    private FaultyRegistry registry;
    private String creds;

    @BeforeAll
    void startRegistry() {
        registry = FaultyRegistry.start("user", "secret-pass");
        creds = credentials("acr", "user", "secret-pass", registry.hostPort());
        override("cragent.registry.insecure-hosts", registry.hostPort());
    }

    @AfterAll
    void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void forget() {
        registry.clearRequests();
    }

    @Test
    void malformedCredentialsAre400() {
        String b64 = Base64.getEncoder().encodeToString("{\"type\":\"acr\",\"username\":\"u\",\"password\":\"secret-pass\""
                .getBytes(StandardCharsets.UTF_8));
        for (String bad : List.of("%%%not-base64%%%", b64, "Basic " + Base64.getEncoder().encodeToString("u:p".getBytes()),
                Base64.getEncoder().encodeToString("{\"type\":\"martian-cr\",\"registryBase\":\"x\"}".getBytes()))) {
            Answer answer = get("/list", bad);
            assertThat(answer.status()).as(bad).isEqualTo(400);
            assertThat(answer.errorCode()).isEqualTo("INVALID_CREDENTIALS");
            assertThat(answer.body()).doesNotContain("secret-pass");
        }
        assertNoRegistryCall();
    }

    @Test
    void pathTraversalAndBadNamesAre400() {
        for (String path : List.of("/list/..%2F..%2Fetc%2Fpasswd", "/list/a%252Fb", "/list/a%00b", "/list/UPPER",
                "/list/a/../b", "/list-paginated/a//b", "/image-metadata/app:..", "/image-metadata/app@sha256:xyz",
                "/image-metadata/evil.example.com/app:1", "/list/a%5Cb",
                "/get-state-identifier?image=..%2Fapp", "/list-paginated/app?pageSize=0", "/list-paginated/app?pageSize=x",
                "/image-metadata/app:1?platform=linux")) {
            Answer answer = get(path, creds);
            assertThat(answer.status()).as(path + " → " + answer).isEqualTo(400);
            assertThat(answer.json().path("ok").asBoolean(true)).isFalse();
        }
        // The server would route "/list-with-metadata/%2e%2e/x" as "/x": the raw path is refused first.
        assertThat(get("/list-with-metadata/%2e%2e/x", creds).errorCode()).isEqualTo("BAD_REQUEST");
        assertNoRegistryCall();
    }

    @Test
    void registryBasesThatPointInsideAre400() {
        for (String base : List.of("169.254.169.254", "169.254.169.254:80/latest", "[fe80::1]:5000", "0.0.0.0")) {
            Answer answer = get("/systemcheck", credentials("acr", "u", "p", base));
            assertThat(answer.status()).as(base).isEqualTo(400);
            assertThat(answer.errorCode()).isEqualTo("REGISTRY_NOT_ALLOWED");
        }
    }

    @Test
    void malformedAndHugeBodiesAreRefused() {
        Answer notJson = post("/systemcheck", "{\"credentials\": ");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.errorCode()).isEqualTo("BAD_REQUEST");
        Answer array = post("/systemcheck", "[1,2,3]");
        assertThat(array.status()).isEqualTo(400);

        String huge = "{\"credentials\":\"" + creds + "\",\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        Answer tooBig = post("/systemcheck", huge);
        assertThat(tooBig.status()).isEqualTo(413);
        assertNoRegistryCall();
    }

    @Test
    void unknownPathsAndMethodsAreJson() {
        Answer unknown = get("/v2/_catalog", creds);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("NOT_FOUND");
        Answer delete = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agentPort + "/list/app"))
                .header("Authorization", creds).DELETE().build());
        assertThat(delete.status()).isEqualTo(405);
        assertThat(delete.errorCode()).isEqualTo("METHOD_NOT_ALLOWED");
        assertNoRegistryCall();
    }

    @Test
    void validRequestsStillWork() {
        Answer answer = get("/image-metadata/" + FaultyRegistry.REPOSITORY + ":" + FaultyRegistry.TAG, creds);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.json().path("manifestDigest").asText()).isEqualTo(registry.manifestDigest());
        assertThat(registry.requests()).isNotEmpty();
    }

    private void assertNoRegistryCall() {
        assertThat(registry.requests()).as("requests that reached the registry").isEmpty();
    }
}
