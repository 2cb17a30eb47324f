package io.cragent.broker.client;

import com.sun.net.httpserver.HttpServer;
import io.cragent.testsupport.FakeSaas;
import io.cragent.testsupport.FreePorts;
import io.cragent.testsupport.OurBrokerClient;
import io.cragent.testsupport.Peers;
import io.cragent.testsupport.SnykBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our client between the real snyk-broker 5.22.14 server and a fake origin in place of the agent, for what the
 * agent will not produce on demand: a 30 MB body streamed through /response-data byte for byte, the same body
 * refused in ack mode, an origin that is down, an oversized callback, and the server restarted under the client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OurClientStreamingAndFaultsTest {
    private static final String BROKER = "/broker/" + SnykBroker.TOKEN;
    private static final int BIG = 30 * 1024 * 1024;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final byte[] big = new byte[BIG];
    private int originPort;
    private HttpServer origin;
    private FakeSaas saas;
    private SnykBroker server;
    private OurBrokerClient client;

    @BeforeAll
    void start() {
        new Random(42).nextBytes(big);
        originPort = FreePorts.next();
        startOrigin();
        saas = new FakeSaas();
        server = SnykBroker.server(saas.origin());
        client = OurBrokerClient.connected(server, "http://127.0.0.1:" + originPort, "e30K",
                Map.of("cragent.client.reconnect-initial-millis", "200"));
    }

    @AfterAll
    void stop() {
        Peers.closeAll(client, server, saas, () -> origin.stop(0));
    }

    /** {@code GET /list} answers 30 MB of random bytes, written in 64 KiB pieces. */
    private void startOrigin() {
        try {
            origin = HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", originPort), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        origin.createContext("/list", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, big.length);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int offset = 0; offset < big.length; offset += 65536) {
                    out.write(big, offset, Math.min(65536, big.length - offset));
                }
            }
        });
        origin.start();
    }

    @Test
    @Order(1)
    void thirtyMegabytesStreamThroughResponseDataByteForByte() throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(server.url() + BROKER + "/list"))
                .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/octet-stream");
        assertThat(response.body().length).isEqualTo(BIG);
        assertThat(sha256(response.body())).isEqualTo(sha256(big));
    }

    @Test
    @Order(2)
    void theSameBodyInAckModeIsRefusedAsTooLarge() {
        HttpResponse<String> response = server.call("GET", BROKER + "/list", Map.of("x-broker-ws-response", "true"), null);
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("BODY_TOO_LARGE").contains("greater than max allowed of 20971520 bytes");
    }

    @Test
    @Order(3)
    void aCallbackOverTenMegabytesIs413Json() {
        HttpResponse<String> response = client.call("POST", "/api/v2/import/result",
                Map.of("content-type", "application/json"), "x".repeat(11 * 1024 * 1024));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"code\":\"BODY_TOO_LARGE\"");
        assertThat(saas.received()).isEmpty();
    }

    @Test
    @Order(3)
    void systemcheckReportsAValidationUrlThatFails() {
        HttpResponse<String> check = client.call("GET", "/systemcheck", Map.of(), null);
        assertThat(check.statusCode()).isEqualTo(500);
        assertThat(check.body()).startsWith("[{").contains("\"ok\":false").contains("\"error\":\"Status code is not 2xx\"")
                .contains("\"brokerClientValidationUrlStatusCode\":404").contains("\"maskedCredentials\":\"***\"");
    }

    @Test
    @Order(4)
    void theClientReconnectsAfterTheServerRestartsAndServesAgain() throws Exception {
        server = server.restart();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        HttpResponse<byte[]> response = null;
        while (System.nanoTime() < deadline) {
            response = http.send(HttpRequest.newBuilder(URI.create(server.url() + BROKER + "/list"))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 200) {
                break;
            }
            Thread.sleep(250);
        }
        assertThat(response).isNotNull();
        assertThat(response.statusCode()).as("served again within 30 s of the restart").isEqualTo(200);
        assertThat(sha256(response.body())).isEqualTo(sha256(big));
        HttpResponse<String> health = client.call("GET", "/healthcheck", Map.of(), null);
        assertThat(health.statusCode()).isEqualTo(200);
    }

    @Test
    @Order(5)
    void anOriginThatIsDownIs502DownstreamUnreachable() {
        origin.stop(0);
        try {
            HttpResponse<String> response = server.call("GET", BROKER + "/list", Map.of(), null);
            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).isEqualTo("{\"code\":\"DOWNSTREAM_UNREACHABLE\",\"message\":\"connect ECONNREFUSED 127.0.0.1:"
                    + originPort + "\"}");
            HttpResponse<String> ack = server.call("GET", BROKER + "/list", Map.of("x-broker-ws-response", "true"), null);
            assertThat(ack.statusCode()).isEqualTo(502);
            assertThat(ack.body()).contains("DOWNSTREAM_UNREACHABLE");
        } finally {
            startOrigin();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** With a secondary server URL each role connects to its own server, and both serve. */
    @Test
    @Order(6)
    void theSecondarySocketMayUseItsOwnServer() throws Exception {
        try (SnykBroker second = SnykBroker.server(saas.origin(), Map.of("LOG_LEVEL", "info"));
             OurBrokerClient split = OurBrokerClient.start(server.url(), "http://127.0.0.1:" + originPort, "e30K",
                     Map.of("cragent.client.secondary-server-url", second.url()))) {
            server.awaitClientConnected(Duration.ofSeconds(30));
            second.awaitClientConnected(Duration.ofSeconds(30));
            for (SnykBroker each : new SnykBroker[] {server, second}) {
                HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(each.url() + BROKER + "/list"))
                        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(sha256(response.body())).isEqualTo(sha256(big));
            }
            assertThat(split.call("GET", "/healthcheck", Map.of(), null).body())
                    .contains(server.url() + "/?connection_role=primary").contains(second.url() + "/?connection_role=secondary");
        }
    }
}
