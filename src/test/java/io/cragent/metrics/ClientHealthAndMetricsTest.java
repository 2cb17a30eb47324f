package io.cragent.metrics;

import io.cragent.testsupport.Await;

import io.cragent.testsupport.FakeSaas;
import io.cragent.testsupport.FreePorts;
import io.cragent.testsupport.OurBrokerClient;
import io.cragent.testsupport.SnykBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our broker client's liveness, readiness and metrics against the real snyk-broker server: ready follows the
 * websocket; a blocked request from the server and a callback relayed to it are counted; an outage of the server
 * makes the client unready and counts its reconnects, and the client is ready again once the server is back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientHealthAndMetricsTest {
    private static final String CREDENTIALS = "eyJ0eXBlIjoiZG9ja2VyLWh1YiJ9"; // {"type":"docker-hub"}, no secret

    private FakeSaas saas;
    private SnykBroker server;
    private OurBrokerClient client;

    @BeforeAll
    void start() {
        saas = new FakeSaas();
        server = SnykBroker.server(saas.origin());
        // No agent listens here: only blocked requests and callbacks are relayed in this test.
        client = OurBrokerClient.connected(server, "http://127.0.0.1:" + FreePorts.next(), CREDENTIALS, Map.of());
    }

    @AfterAll
    void stop() {
        for (AutoCloseable peer : new AutoCloseable[] {client, server, saas}) {
            try {
                if (peer != null) {
                    peer.close();
                }
            } catch (Exception ignored) {
                // the others must still stop
            }
        }
    }

    @Test
    void readinessFollowsTheLinkAndTheRelaysAndReconnectsAreCounted() {
        assertThat(client.call("GET", "/health/live", Map.of(), null).statusCode()).isEqualTo(200);
        HttpResponse<String> ready = await(() -> client.call("GET", "/health/ready", Map.of(), null),
                r -> r.statusCode() == 200);
        assertThat(ready.body()).contains("\"id\":\"broker-link\"").contains("\"status\":\"UP\"");

        String before = scrape();
        HttpResponse<String> blocked = server.call("GET", "/broker/" + SnykBroker.TOKEN + "/v2/_catalog", Map.of(), null);
        assertThat(blocked.statusCode()).isEqualTo(401);
        HttpResponse<String> callback = client.call("POST", "/api/v2/import/done",
                Map.of("content-type", "application/json"), "{\"state\":\"done\"}");
        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(200);
        String after = scrape();
        assertThat(delta(before, after, "cragent_client_relayed_requests_total", "direction=\"downstream\"",
                "outcome=\"blocked\"")).as(after).isEqualTo(1);
        assertThat(delta(before, after, "cragent_client_relayed_requests_total", "direction=\"upstream\"",
                "outcome=\"relayed\"")).as(after).isEqualTo(1);
        assertThat(after).doesNotContain(SnykBroker.TOKEN).doesNotContain("_catalog").doesNotContain("import/done");

        server.close();
        HttpResponse<String> down = await(() -> client.call("GET", "/health/ready", Map.of(), null),
                r -> r.statusCode() == 503);
        assertThat(down.body()).contains("\"status\":\"DOWN\"").contains("no websocket to the broker server is open");
        assertThat(client.call("GET", "/health/live", Map.of(), null).statusCode()).isEqualTo(200);
        assertThat(await(this::scrape, text -> MetricsText.value(text, "cragent_client_reconnects_total") > 0))
                .contains("# TYPE cragent_client_reconnects_total counter");

        server = server.restart();
        await(() -> client.call("GET", "/health/ready", Map.of(), null), r -> r.statusCode() == 200);
    }

    private String scrape() {
        HttpResponse<String> metrics = client.call("GET", "/metrics", Map.of(), null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
        return metrics.body();
    }

    private static double delta(String before, String after, String name, String... labels) {
        return MetricsText.value(after, name, labels) - MetricsText.value(before, name, labels);
    }

    private static <T> T await(Supplier<T> read, Predicate<T> done) {
        return Await.until("there", Duration.ofSeconds(60), read, done);
    }
}
