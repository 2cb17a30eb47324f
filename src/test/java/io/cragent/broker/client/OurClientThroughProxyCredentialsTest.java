package io.cragent.broker.client;

import io.cragent.agent.AgentTestSupport;
import io.cragent.broker.link.BrokerLink;
import io.cragent.logging.Redactor;
import io.cragent.testsupport.CapturedLogs;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.FakeSaas;
import io.cragent.testsupport.ForwardProxy;
import io.cragent.testsupport.OurBrokerClient;
import io.cragent.testsupport.Peers;
import io.cragent.testsupport.SnykBroker;
import io.cragent.testsupport.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our broker client behind a proxy that requires Basic credentials (given in the proxy URL), in front of the real
 * snyk-broker server: the websockets' CONNECT and the response uploads carry them; the agent (NO_PROXY) is reached
 * directly. With a wrong password the client stays disconnected and says why, without the password.
 */
class OurClientThroughProxyCredentialsTest extends AgentTestSupport {
    private static final String BROKER = "/broker/" + SnykBroker.TOKEN;
    private static final String USER = "svc-broker";
    private static final String PASSWORD = "br0ker:pr0xy@pass";
    private static final String WRONG = "wrong-Br0ker-pr0xy";
    private static final String EXPECTED = basic(USER, PASSWORD);

    private DistributionRegistry registry;
    private FakeSaas saas;
    private SnykBroker server;
    private ForwardProxy proxy;
    private OurBrokerClient client;
    private String credentials;

    @BeforeAll
    void startPeers() throws IOException {
        registry = DistributionRegistry.start(DistributionRegistry.Mode.PLAIN_HTPASSWD);
        TestImages.pushImage(registry, "team/app", "1.0", TestImages.Format.OCI);
        override("cragent.registry.insecure-hosts", registry.hostPort());
        credentials = credentials("docker-hub", registry.username(), registry.password(), registry.hostPort());
        saas = new FakeSaas();
        server = SnykBroker.server(saas.origin());
        proxy = ForwardProxy.requiring(USER, PASSWORD);
    }

    private OurBrokerClient client() {
        if (client == null) {
            // Both sockets open: the tests count both sockets' CONNECTs.
            client = OurBrokerClient.connected(server, agentUrl(), credentials, proxySettings(PASSWORD));
        }
        return client;
    }

    private OurBrokerClient startClient(String password) {
        return OurBrokerClient.start(server.url(), agentUrl(), credentials, proxySettings(password));
    }

    private String agentUrl() {
        return "http://localhost:" + agentPort;
    }

    private Map<String, String> proxySettings(String password) {
        return Map.of("cragent.client.https-proxy", proxy.url(USER, password),
                "cragent.client.http-proxy", proxy.url(USER, password), "cragent.client.no-proxy", "localhost");
    }

    @AfterAll
    void stopPeers() {
        Peers.closeAll(client, server, saas, proxy, registry);
    }

    @Test
    void theWebsocketsConnectThroughTheProxyWithItsCredentials() {
        client();
        assertThat(proxy.seen()).filteredOn(s -> s.request().equals("CONNECT 127.0.0.1:" + server.port()))
                .hasSizeGreaterThanOrEqualTo(2).allSatisfy(s -> {
                    assertThat(s.proxyAuthorization()).isEqualTo(EXPECTED);
                    assertThat(s.status()).isEqualTo(200);
                });
        // What identify told the server, as the server logged it: a proxy, TLS verification never switched off.
        assertThat(server.log()).contains("New client connection identified").contains("\"proxy\":true")
                .contains("\"tlsReject\":false").doesNotContain("\"tlsReject\":true");
    }

    @Test
    void responsesAreUploadedThroughTheProxyWithItsCredentials() {
        client();
        HttpResponse<String> tags = server.call("GET", BROKER + "/list/team%2Fapp",
                Map.of("authorization", "${CR_CREDENTIALS}", "x-broker-var-sub", "authorization"), null);
        assertThat(tags.statusCode()).as(tags.body()).isEqualTo(200);
        assertThat(tags.body()).isEqualTo("[\"1.0\"]");
        assertThat(proxy.seen()).filteredOn(s -> s.request().startsWith("POST " + server.url() + "/response-data/"))
                .isNotEmpty().allSatisfy(s -> {
                    assertThat(s.proxyAuthorization()).isEqualTo(EXPECTED);
                    assertThat(s.status()).isEqualTo(200);
                });
        assertThat(proxy.requests()).noneMatch(r -> r.contains(":" + agentPort));
    }

    @Test
    void aWrongPasswordKeepsTheClientOutAndSaysWhyWithoutThePassword() throws Exception {
        try (CapturedLogs logs = new CapturedLogs(); OurBrokerClient wrong = startClient(WRONG)) {
            // Both sockets connect at once: the secondary's line may come first.
            String refused = "cannot connect to the broker server (primary): the proxy " + proxy.url()
                    + " refused the credentials in HTTP_PROXY (HTTP 407)";
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!logs.text().contains(refused) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(logs.text()).contains(refused);
            assertThat(wrong.bean("brokerLink", BrokerLink.class).anyOpen()).isFalse();
            assertThat(proxy.seen()).filteredOn(s -> basic(USER, WRONG).equals(s.proxyAuthorization()))
                    .isNotEmpty().allSatisfy(s -> assertThat(s.status()).isEqualTo(407));
            // Our own lines never hold it; Camel's start-up summary prints the proxy URL, which the jar's RedactingLogs
            // puts through the Redactor like every event.
            String ours = logs.text().lines().filter(line -> !line.contains("BaseMainSupport")).toList().toString();
            for (String printed : new String[] {ours, Redactor.redact(logs.text())}) {
                assertThat(printed).doesNotContain(WRONG).doesNotContain(basic(USER, WRONG).substring(6))
                        .doesNotContain(PASSWORD).contains("127.0.0.1:" + proxy.url().split(":")[2]);
            }
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
