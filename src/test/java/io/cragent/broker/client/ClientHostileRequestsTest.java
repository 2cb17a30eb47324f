package io.cragent.broker.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.agent.AgentTestSupport;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.FakeSaas;
import io.cragent.testsupport.OurBrokerClient;
import io.cragent.testsupport.Peers;
import io.cragent.testsupport.RawHttp;
import io.cragent.testsupport.SnykBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile request corpus for our broker client ({@code src/test/resources/hostile/client-requests.json}):
 * downstream through the real snyk-broker server, filtered by the client's accept rules and, where they allow a
 * request, refused by the agent behind it; upstream sent raw to the client's own port, where nothing may reach the
 * SaaS. Every answer is a JSON error with its code, no secret is echoed, and the client stays healthy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientHostileRequestsTest extends AgentTestSupport {
    private static final String BROKER = "/broker/" + SnykBroker.TOKEN;

    private DistributionRegistry registry;
    private FakeSaas saas;
    private SnykBroker server;
    private OurBrokerClient client;
    private String credentials;

    @BeforeAll
    void startPeers() {
        registry = DistributionRegistry.start(DistributionRegistry.Mode.PLAIN_HTPASSWD);
        override("cragent.registry.insecure-hosts", registry.hostPort());
        credentials = credentials("docker-hub", registry.username(), registry.password(), registry.hostPort());
        saas = new FakeSaas();
        server = SnykBroker.server(saas.origin());
    }

    @AfterAll
    void stopPeers() {
        Peers.closeAll(client, server, saas, registry);
    }

    /** After the agent is up (CamelMainTestSupport starts it before the first test). */
    private OurBrokerClient client() {
        if (client == null) {
            client = OurBrokerClient.connected(server, "http://127.0.0.1:" + agentPort, credentials, Map.of());
        }
        return client;
    }

    @TestFactory
    Stream<DynamicTest> downstreamRequestsAreFilteredOrRefused() {
        return cases("downstream").stream().map(c -> DynamicTest.dynamicTest(c.label(), () -> {
            HttpResponse<String> answer = server.call(c.method(), BROKER + c.path(),
                    Map.of("authorization", "${CR_CREDENTIALS}", "x-broker-var-sub", "authorization"), null);
            check(c, answer.statusCode(), answer.body());
        }));
    }

    @TestFactory
    Stream<DynamicTest> upstreamRequestsNeverReachTheSaas() {
        return cases("upstream").stream().map(c -> DynamicTest.dynamicTest(c.label(), () -> {
            int port = Integer.parseInt(client().url().substring(client().url().lastIndexOf(':') + 1));
            int before = saas.received().size();
            RawHttp.Response answer = RawHttp.exchange(port, c.method() + " " + c.path() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\nContent-Type: application/json\r\n" + c.headerLines(), "{}".getBytes(), 20_000);
            check(c, answer.status(), answer.body());
            assertThat(saas.received()).as("callbacks at the SaaS after " + c.label()).hasSize(before);
        }));
    }

    private void check(Case c, int status, String body) {
        String what = c.label() + " → " + status + " " + body;
        assertThat(status).as(what).isEqualTo(c.status());
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + what, e);
        }
        String code = json.has("error") ? json.path("error").path("code").asText() : json.path("code").asText();
        assertThat(code).as(what).isEqualTo(c.code());
        assertThat(body).as(what).doesNotContain(registry.password()).doesNotContain(credentials);
        assertThat(client().call("GET", "/healthcheck", Map.of(), null).statusCode()).as("healthy after " + c.label())
                .isEqualTo(200);
    }

    /** {@code headerLines}: raw header lines ending in CRLF, Content-Length included. */
    record Case(String label, String method, String path, int status, String code, String headerLines) {
    }



    private List<Case> cases(String section) {
        client();
        JsonNode corpus;
        try (InputStream in = getClass().getResourceAsStream("/hostile/client-requests.json")) {
            corpus = JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Case> cases = new ArrayList<>();
        for (JsonNode item : corpus.path(section)) {
            List<String> methods = new ArrayList<>();
            (item.has("methods") ? item.get("methods") : JSON.createArrayNode().add(item.path("method")))
                    .forEach(m -> methods.add(m.asText()));
            StringBuilder headerLines = new StringBuilder();
            item.path("rawHeaderLines").forEach(line -> headerLines.append(RawHttp.expandRepeats(line.asText())).append("\r\n"));
            if (!item.has("rawHeaderLines") || !headerLines.toString().toLowerCase(Locale.ROOT).contains("content-length")) {
                headerLines.append("Content-Length: 2\r\n");
            }
            for (String method : methods) {
                for (JsonNode path : item.path("paths")) {
                    String label = path.asText().length() > 80 ? path.asText().substring(0, 80) + "…" : path.asText();
                    cases.add(new Case(section + ": " + item.path("name").asText() + " (" + method + " " + label + ")",
                            method, RawHttp.expandRepeats(path.asText()), item.path("status").asInt(), item.path("code").asText(),
                            headerLines.toString()));
                }
            }
        }
        return cases;
    }
}
