package io.cragent.broker.client;

import io.cragent.agent.AgentTestSupport;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.FakeSaas;
import io.cragent.testsupport.FreePorts;
import io.cragent.testsupport.OurBrokerClient;
import io.cragent.testsupport.Peers;
import io.cragent.testsupport.SnykBroker;
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
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Our broker client serving its port over HTTPS ({@code HTTPS_CERT}, {@code HTTPS_KEY} from a private CA), between
 * the real snyk-broker 5.22.14 server and our agent, whose {@code BROKER_CLIENT_URL} is the client's https URL and
 * whose {@code CA_CERT} is that CA: the agent's callbacks reach the client over TLS and go on to the SaaS.
 */
class OurClientHttpsTest extends AgentTestSupport {
    private static final TestPki PKI = TestPki.create();

    private TestPki.PemFiles pem;
    private int clientPort;
    private DistributionRegistry registry;
    private FakeSaas saas;
    private SnykBroker server;
    private OurBrokerClient client;
    private String credentials;

    @BeforeAll
    void startPeers() throws IOException {
        pem = PKI.writeServerPem(Files.createTempDirectory("client-https"));
        clientPort = FreePorts.next();
        registry = DistributionRegistry.start(DistributionRegistry.Mode.PLAIN_HTPASSWD);
        TestImages.pushImage(registry, "team/app", "1.0", TestImages.Format.OCI);
        credentials = credentials("docker-hub", registry.username(), registry.password(), registry.hostPort());
        override("cragent.registry.insecure-hosts", registry.hostPort());
        override("cragent.callbacks.poll-millis", "100");
        // Callbacks go to BROKER_CLIENT_URL only (no other callback host), trusted through CA_CERT.
        override("cragent.callbacks.default-base", "https://127.0.0.1:" + clientPort);
        override("cragent.callbacks.allowed-hosts", "");
        override("cragent.registry.ca-cert", pem.ca().toString());
        saas = new FakeSaas();
        server = SnykBroker.server(saas.origin());
    }

    /** After the agent is up (CamelMainTestSupport starts it before the first test). */
    private OurBrokerClient client() {
        if (client == null) {
            client = OurBrokerClient.connected(server, "http://127.0.0.1:" + agentPort, credentials,
                    Map.of("camel.server.port", String.valueOf(clientPort),
                            "cragent.client.https-cert", pem.certificate().toString(),
                            "cragent.client.https-key", pem.privateKey().toString()));
        }
        return client;
    }

    @AfterAll
    void stopPeers() {
        Peers.closeAll(client, server, saas, registry);
    }

    @Test
    void servesHealthcheckOverHttpsToAClientTrustingTheCaOnly() {
        assertThat(client().url()).isEqualTo("https://127.0.0.1:" + clientPort);
        HttpClient trusting = HttpClient.newBuilder().sslContext(PKI.clientSslContext()).build();
        HttpResponse<String> health = send(trusting, "https", "/healthcheck");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(health.body()).contains("\"websocketConnectionOpen\":true");

        assertThatThrownBy(() -> send(HttpClient.newHttpClient(), "https", "/healthcheck"))
                .hasCauseInstanceOf(SSLHandshakeException.class);
        assertThatThrownBy(() -> {
            HttpResponse<String> plain = send(HttpClient.newHttpClient(), "http", "/healthcheck");
            throw new AssertionError("plain http answered " + plain.statusCode());
        }).hasCauseInstanceOf(IOException.class);
    }

    /** The request names no callbackUrl: the agent calls back to its BROKER_CLIENT_URL, https, trusting CA_CERT. */
    @Test
    void theAgentsCallbacksReachTheSaasThroughTheHttpsClient() throws Exception {
        client();
        String requestId = UUID.randomUUID().toString();
        String body = "{\"BROKER_VAR_SUB\":[\"credentials\"],\"credentials\":\"${CR_CREDENTIALS}\","
                + "\"images\":[\"team/app:1.0\"],\"orgId\":\"org-1\"}";
        HttpResponse<String> accepted = server.call("POST", "/broker/" + SnykBroker.TOKEN + "/scan",
                Map.of("content-type", "application/json", "snyk-request-id", requestId), body);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String jobId = JSON.readTree(accepted.body()).path("jobId").asText();

        FakeSaas.Callback result = saas.await(c -> c.path().equals("/api/v2/import/result") && c.body().contains(jobId),
                1, Duration.ofSeconds(60)).get(0);
        assertThat(JSON.readTree(result.body()).path("imageName").asText()).isEqualTo("team/app:1.0");
        assertThat(result.headers()).containsEntry("snyk-request-id", requestId).containsKey("x-broker-token");
        FakeSaas.Callback done = saas.await(c -> c.path().equals("/api/v2/import/done") && c.body().contains(jobId),
                1, Duration.ofSeconds(30)).get(0);
        assertThat(JSON.readTree(done.body()).path("state").asText()).isEqualTo("done");
    }

    @Test
    void aCertificateWithoutItsKeyStopsTheClientNamingBothVariablesOnly() throws Exception {
        String key = Files.readString(pem.privateKey());
        assertThatThrownBy(() -> OurBrokerClient.start(server.url(), "http://127.0.0.1:" + agentPort, credentials,
                Map.of("cragent.client.https-cert", pem.certificate().toString())).close())
                .rootCause().hasMessage("set both HTTPS_CERT and HTTPS_KEY, or neither");
        assertThat(BrokerClientConfiguration.missingSettings(Map.of("BROKER_TOKEN", "t", "BROKER_SERVER_URL",
                "http://127.0.0.1:1", "CR_AGENT_URL", "http://127.0.0.1:2", "HTTPS_KEY", pem.privateKey().toString())))
                .isEqualTo("set both HTTPS_CERT and HTTPS_KEY, or neither").doesNotContain(key);
    }

    private HttpResponse<String> send(HttpClient http, String scheme, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + clientPort + path))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
