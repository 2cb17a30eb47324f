package io.cragent.agent;

import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.TestImages;
import io.cragent.testsupport.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HTTPS_CERT and HTTPS_KEY (PEM files from a private CA): the API answers over TLS to a client trusting that CA,
 * a registry call included; a client that does not trust the CA and a plain-http client get nothing.
 */
class AgentHttpsTest extends AgentTestSupport {
    private static final TestPki PKI = TestPki.create();
    private DistributionRegistry registry;

    @BeforeAll
    void serveHttps() throws IOException {
        TestPki.PemFiles pem = PKI.writeServerPem(Files.createTempDirectory("agent-https"));
        override("cragent.agent.https-cert", pem.certificate().toString());
        override("cragent.agent.https-key", pem.privateKey().toString());
        registry = DistributionRegistry.start(DistributionRegistry.Mode.PLAIN_HTPASSWD);
        TestImages.pushImage(registry, "tls/app", "1.0", TestImages.Format.OCI);
        override("cragent.registry.insecure-hosts", registry.hostPort());
    }

    @AfterAll
    void stopRegistry() {
        registry.close();
    }

    @Test
    void servesTheApiOverHttpsToAClientTrustingTheCa() throws Exception {
        HttpClient trusting = HttpClient.newBuilder().sslContext(PKI.clientSslContext()).build();
        HttpResponse<String> health = trusting.send(request("https", "/healthcheck", null), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"ok\":true");

        String credentials = credentials("docker-hub", registry.username(), registry.password(), registry.hostPort());
        HttpResponse<String> tags = trusting.send(request("https", "/list/tls%2Fapp", credentials),
                HttpResponse.BodyHandlers.ofString());
        assertThat(tags.statusCode()).as(tags.body()).isEqualTo(200);
        assertThat(tags.body()).isEqualTo("[\"1.0\"]");
    }

    @Test
    void refusesClientsThatDoNotTrustTheCaAndPlainHttp() {
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(request("https", "/healthcheck", null),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
        assertThatThrownBy(() -> {
            HttpResponse<String> plain = HttpClient.newHttpClient().send(request("http", "/healthcheck", null),
                    HttpResponse.BodyHandlers.ofString());
            throw new AssertionError("plain http answered " + plain.statusCode());
        }).isInstanceOf(IOException.class);
    }

    private HttpRequest request(String scheme, String path, String authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + agentPort + path))
                .timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.build();
    }
}
