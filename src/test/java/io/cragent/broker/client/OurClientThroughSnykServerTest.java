package io.cragent.broker.client;

import io.cragent.agent.AgentTestSupport;
import io.cragent.broker.link.BrokerLink;
import io.cragent.broker.link.BrokerSocket;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.FakeSaas;
import io.cragent.testsupport.OurBrokerClient;
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
 * Our broker client between the real snyk-broker 5.22.14 server and our agent: fake SaaS → real server → our
 * client → our agent → the CNCF registry, and the agent's callbacks the other way.
 */
class OurClientThroughSnykServerTest extends AgentTestSupport {
    private static final String BROKER = "/broker/" + SnykBroker.TOKEN;
    /** Sent literally: our client replaces it with CR_CREDENTIALS (broker-protocol.md §5). */
    private static final Map<String, String> SUBSTITUTED_CREDENTIALS =
            Map.of("authorization", "${CR_CREDENTIALS}", "x-broker-var-sub", "authorization");

    private DistributionRegistry registry;
    private TestImages.PushedImage image;
    private FakeSaas saas;
    private SnykBroker server;
    private OurBrokerClient client;
    private String credentials;

    @BeforeAll
    void startPeers() {
        registry = DistributionRegistry.start(DistributionRegistry.Mode.PLAIN_HTPASSWD);
        image = TestImages.pushImage(registry, "team/app", "1.0", TestImages.Format.OCI);
        override("cragent.registry.insecure-hosts", registry.hostPort());
        override("cragent.callbacks.poll-millis", "100");
        credentials = credentials("docker-hub", registry.username(), registry.password(), registry.hostPort());
        saas = new FakeSaas();
        server = SnykBroker.server(saas.origin());
    }

    /** After the agent is up (CamelMainTestSupport starts it before the first test). */
    private OurBrokerClient client() {
        if (client == null) {
            client = OurBrokerClient.connected(server, "http://127.0.0.1:" + agentPort, credentials, Map.of());
        }
        return client;
    }

    @AfterAll
    void stopPeers() {
        Peers.closeAll(client, server, saas, registry);
    }

    @Test
    void listsRepositoriesAndTagsStreamedThroughResponseData() {
        client();
        HttpResponse<String> repositories = server.call("GET", BROKER + "/list", SUBSTITUTED_CREDENTIALS, null);
        assertThat(repositories.statusCode()).as(repositories.body()).isEqualTo(200);
        assertThat(repositories.body()).contains("\"team/app\"");
        assertThat(repositories.headers().firstValue("content-type").orElseThrow()).startsWith("application/json");

        HttpResponse<String> tags = server.call("GET", BROKER + "/list/team%2Fapp", SUBSTITUTED_CREDENTIALS, null);
        assertThat(tags.statusCode()).as(tags.body()).isEqualTo(200);
        assertThat(tags.body()).isEqualTo("[\"1.0\"]");
    }

    @Test
    void answersInAckModeWhenTheSaasAsksForAWebsocketResponse() {
        client();
        HttpResponse<String> metadata = server.call("GET", BROKER + "/image-metadata/team/app:1.0",
                Map.of("authorization", "${CR_CREDENTIALS}", "x-broker-var-sub", "authorization",
                        "x-broker-ws-response", "true"), null);
        assertThat(metadata.statusCode()).as(metadata.body()).isEqualTo(200);
        assertThat(metadata.body()).contains(image.manifestDigest());
    }

    @Test
    void aBlockedRequestIsAnswered401FilterBlocked() {
        client();
        HttpResponse<String> blocked = server.call("GET", BROKER + "/v2/_catalog", Map.of(), null);
        assertThat(blocked.statusCode()).isEqualTo(401);
        assertThat(blocked.body()).contains("\"code\":\"FILTER_BLOCKED\"").contains("\"url\":\"/v2/_catalog\"");
    }

    @Test
    void callbacksReachTheSaasThroughClientAndServer() {
        HttpResponse<String> sent = client().call("POST", "/api/v2/import/result",
                Map.of("content-type", "application/json"), "{\"result\":{\"x\":1}}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        assertThat(sent.body()).isEqualTo("{\"ok\":true}");
        FakeSaas.Callback callback = saas.await(c -> c.path().equals("/api/v2/import/result")
                && c.body().equals("{\"result\":{\"x\":1}}"), 1, Duration.ofSeconds(10)).get(0);
        assertThat(callback.body()).isEqualTo("{\"result\":{\"x\":1}}");
        assertThat(callback.headers()).containsKey("x-broker-token");

        HttpResponse<String> blocked = client().call("POST", "/api/v1/import/app", Map.of(), "{}");
        assertThat(blocked.statusCode()).isEqualTo(401);
        assertThat(blocked.body()).contains("FILTER_BLOCKED");
    }

    @Test
    void healthcheckShowsBothSockets() {
        HttpResponse<String> health = client().call("GET", "/healthcheck", Map.of(), null);
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(health.body()).contains("connection_role=primary").contains("connection_role=secondary")
                .contains("\"websocketConnectionOpen\":true");
    }

    @Test
    void systemcheckCallsTheAgentWithTheCredentials() {
        HttpResponse<String> check = client().call("GET", "/systemcheck", Map.of(), null);
        assertThat(check.statusCode()).as(check.body()).isEqualTo(200);
        assertThat(check.body()).startsWith("[{").contains("\"ok\":true")
                .contains("\"brokerClientValidationUrl\":\"http://127.0.0.1:" + agentPort + "/systemcheck\"")
                .contains("\"brokerClientValidationUrlStatusCode\":200")
                .contains("\"maskedCredentials\":\"" + credentials.substring(0, 3) + "***")
                .doesNotContain(credentials);
    }

    @Test
    void filtersShowsTheBuiltInContainerRegistryAgentRules() {
        HttpResponse<String> filters = client().call("GET", "/filters", Map.of(), null);
        assertThat(filters.statusCode()).isEqualTo(200);
        assertThat(filters.body()).contains("/image-metadata/*").contains("/api/v2/import/result");
    }

    @Test
    void theServerSeesOurIdentify() {
        client();
        HttpResponse<String> status = server.call("GET", "/connection-status/" + SnykBroker.TOKEN, Map.of(), null);
        assertThat(status.body()).contains("\"version\":\"5.22.14\"")
                .contains("/list-paginated/*");
    }

    /** Past the server's 35 s Primus timeout and its 45 s engine.io ping deadline, on the first connection. */
    @Test
    void heartbeatsKeepBothSocketsOnTheirFirstConnection() throws Exception {
        BrokerLink link = client().bean("brokerLink", BrokerLink.class);
        Thread.sleep(50_000);
        for (BrokerSocket socket : link.sockets()) {
            assertThat(socket.isOpen()).as(socket.role()).isTrue();
            assertThat(socket.connections()).as(socket.role() + " connections").isEqualTo(1);
        }
        HttpResponse<String> tags = server.call("GET", BROKER + "/list/team%2Fapp", SUBSTITUTED_CREDENTIALS, null);
        assertThat(tags.statusCode()).isEqualTo(200);
    }

    /** The server refuses versions below 4.100.0 with an error notification and closes: we stop and say so. */
    @Test
    void aClientTooOldForTheServerStopsAndReportsUnhealthy() throws Exception {
        try (OurBrokerClient old = OurBrokerClient.start(server.url(), "http://127.0.0.1:" + agentPort, credentials,
                Map.of("cragent.client.version", "4.0.0", "cragent.client.reconnect-initial-millis", "100"))) {
            BrokerLink link = old.bean("brokerLink", BrokerLink.class);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline && !link.sockets().stream().allMatch(BrokerSocket::isFailed)) {
                Thread.sleep(100);
            }
            assertThat(link.sockets()).allMatch(BrokerSocket::isFailed);
            Thread.sleep(1000);
            assertThat(link.sockets()).allMatch(s -> s.connections() == 1).noneMatch(BrokerSocket::isOpen);
            HttpResponse<String> health = old.call("GET", "/healthcheck", Map.of(), null);
            assertThat(health.statusCode()).isEqualTo(500);
            assertThat(health.body()).contains("\"websocketConnectionOpen\":false");
        }
    }

    /**
     * A scan job: the SaaS's body names credentials and callback URL as variables our client fills in; the agent's
     * result and done callbacks come back through our client and the server to the SaaS.
     */
    @Test
    void aScanThroughOurClientCallsBackThroughIt() throws Exception {
        client();
        String requestId = java.util.UUID.randomUUID().toString();
        String body = "{\"BROKER_VAR_SUB\":[\"credentials\",\"callbackUrl\"],\"credentials\":\"${CR_CREDENTIALS}\","
                + "\"callbackUrl\":\"${BROKER_CLIENT_URL}/api/v2/import/result\",\"images\":[\"team/app:1.0\"],"
                + "\"orgId\":\"org-1\"}";
        HttpResponse<String> accepted = server.call("POST", BROKER + "/scan",
                Map.of("content-type", "application/json", "snyk-request-id", requestId), body);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String jobId = JSON.readTree(accepted.body()).path("jobId").asText();

        FakeSaas.Callback result = saas.await(c -> c.path().equals("/api/v2/import/result") && c.body().contains(jobId),
                1, Duration.ofSeconds(60)).get(0);
        assertThat(JSON.readTree(result.body()).path("imageName").asText()).isEqualTo("team/app:1.0");
        assertThat(result.headers()).containsEntry("snyk-request-id", requestId).containsKey("x-broker-token");
        assertThat(result.body()).doesNotContain(registry.password());
        FakeSaas.Callback done = saas.await(c -> c.path().equals("/api/v2/import/done") && c.body().contains(jobId),
                1, Duration.ofSeconds(30)).get(0);
        assertThat(JSON.readTree(done.body()).path("state").asText()).isEqualTo("done");
    }
}
