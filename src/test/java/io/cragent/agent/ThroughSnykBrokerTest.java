package io.cragent.agent;

import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.FakeSaas;
import io.cragent.testsupport.Peers;
import io.cragent.testsupport.SnykBroker;
import io.cragent.testsupport.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our agent behind the real snyk-broker 5.22.14: fake SaaS → real server → real classic client (the shipped
 * container-registry-agent template, credentials filled in by its variable substitution) → our agent → the CNCF
 * registry; and callbacks the other way.
 */
class ThroughSnykBrokerTest extends AgentTestSupport {
    private static final String BROKER = "/broker/" + SnykBroker.TOKEN;
    /** Sent literally: the client replaces it with CR_CREDENTIALS (broker-protocol.md §5). */
    private static final Map<String, String> SUBSTITUTED_CREDENTIALS =
            Map.of("authorization", "${CR_CREDENTIALS}", "x-broker-var-sub", "authorization");

    private DistributionRegistry registry;
    private TestImages.PushedImage image;
    private FakeSaas saas;
    private SnykBroker server;
    private SnykBroker client;

    @BeforeAll
    void startPeers() {
        registry = DistributionRegistry.start(DistributionRegistry.Mode.PLAIN_HTPASSWD);
        image = TestImages.pushImage(registry, "team/app", "1.0", TestImages.Format.OCI);
        override("cragent.registry.insecure-hosts", registry.hostPort());
        saas = new FakeSaas();
        server = SnykBroker.server(saas.origin());
    }

    /** After the agent is up (CamelMainTestSupport starts it before the first test). */
    private SnykBroker client() {
        if (client == null) {
            String credentials = credentials("docker-hub", registry.username(), registry.password(), registry.hostPort());
            client = SnykBroker.client(server.url(), "http://127.0.0.1:" + agentPort, credentials, Map.of());
            server.awaitClientConnected(Duration.ofSeconds(30));
        }
        return client;
    }

    @AfterAll
    void stopPeers() {
        Peers.closeAll(client, server, saas, registry);
    }

    @Test
    void listsRepositoriesAndTagsThroughTheBroker() {
        client();
        HttpResponse<String> repositories = server.call("GET", BROKER + "/list", SUBSTITUTED_CREDENTIALS, null);
        assertThat(repositories.statusCode()).as(repositories.body()).isEqualTo(200);
        assertThat(repositories.body()).contains("\"team/app\"");

        HttpResponse<String> tags = server.call("GET", BROKER + "/list/team%2Fapp", SUBSTITUTED_CREDENTIALS, null);
        assertThat(tags.statusCode()).as(tags.body()).isEqualTo(200);
        assertThat(tags.body()).isEqualTo("[\"1.0\"]");
    }

    @Test
    void imageMetadataThroughTheBroker() {
        client();
        HttpResponse<String> metadata = server.call("GET", BROKER + "/image-metadata/team/app:1.0",
                SUBSTITUTED_CREDENTIALS, null);
        assertThat(metadata.statusCode()).as(metadata.body()).isEqualTo(200);
        assertThat(metadata.body()).contains(image.manifestDigest());
    }

    @Test
    void aPathOutsideTheAllowListIsBlockedByTheClient() {
        client();
        HttpResponse<String> blocked = server.call("GET", BROKER + "/v2/_catalog", Map.of(), null);
        assertThat(blocked.statusCode()).isEqualTo(401);
        assertThat(blocked.body()).contains("blocked");
    }

    @Test
    void theClientsSystemcheckReachesOurAgent() {
        HttpResponse<String> check = client().call("GET", "/systemcheck", Map.of(), null);
        assertThat(check.statusCode()).as(check.body()).isEqualTo(200);
        assertThat(check.body()).contains("\"ok\":true").contains("/systemcheck");
    }

    @Test
    void callbacksReachTheSaasThroughClientAndServer() {
        HttpResponse<String> sent = client().call("POST", "/api/v2/import/result",
                Map.of("content-type", "application/json"), "{\"result\":{\"x\":1}}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        FakeSaas.Callback callback = saas.await(c -> c.path().equals("/api/v2/import/result"), 1, Duration.ofSeconds(10)).get(0);
        assertThat(callback.body()).isEqualTo("{\"result\":{\"x\":1}}");
        assertThat(callback.headers()).containsKey("x-broker-token");

        HttpResponse<String> blocked = client().call("POST", "/api/v1/import/app", Map.of(), "{}");
        assertThat(blocked.statusCode()).isEqualTo(401);
    }
}
