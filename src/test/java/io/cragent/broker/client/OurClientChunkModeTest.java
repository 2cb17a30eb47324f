package io.cragent.broker.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cragent.agent.AgentTestSupport;
import io.cragent.broker.link.BrokerLink;
import io.cragent.broker.link.BrokerSocket;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.FakeSaas;
import io.cragent.testsupport.FreePorts;
import io.cragent.testsupport.OurBrokerClient;
import io.cragent.testsupport.Peers;
import io.cragent.testsupport.SnykBroker;
import io.cragent.testsupport.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Legacy {@code chunk} mode (broker-protocol.md §3.6) through the real snyk-broker 5.22.14 server made to look older:
 * it identifies without {@code receive-post-streams} ({@link SnykBroker#olderServer}), so our client answers with
 * chunk events. One server, two of our clients on two tokens: one in front of our agent and the CNCF registry, one
 * in front of a small origin that produces what the agent will not on demand (big UTF-8 and binary bodies, a body
 * that breaks off, being down).
 */
class OurClientChunkModeTest extends AgentTestSupport {
    private static final String BROKER = "/broker/" + SnykBroker.TOKEN;
    private static final String ORIGIN_TOKEN = "66666666-7777-8888-9999-000000000000";
    private static final String ORIGIN_BROKER = "/broker/" + ORIGIN_TOKEN;
    private static final Map<String, String> SUBSTITUTED_CREDENTIALS =
            Map.of("authorization", "${CR_CREDENTIALS}", "x-broker-var-sub", "authorization");
    /** 8 MiB of text, 9 bytes in 10 in multi-byte characters: most chunk boundaries cut one. */
    private static final byte[] UTF8_BODY = utf8Body(8 * 1024 * 1024);
    private static final byte[] BINARY_BODY = randomBytes(3 * 1024 * 1024 + 17);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private DistributionRegistry registry;
    private FakeSaas saas;
    private SnykBroker server;
    private OurBrokerClient agentClient;
    private OurBrokerClient originClient;
    private HttpServer origin;
    private int originPort;
    private String credentials;

    @BeforeAll
    void startPeers() {
        registry = DistributionRegistry.start(DistributionRegistry.Mode.PLAIN_HTPASSWD);
        TestImages.pushImage(registry, "team/app", "1.0", TestImages.Format.OCI);
        override("cragent.registry.insecure-hosts", registry.hostPort());
        credentials = credentials("docker-hub", registry.username(), registry.password(), registry.hostPort());
        saas = new FakeSaas();
        server = SnykBroker.olderServer(saas.origin(), Map.of());
        originPort = FreePorts.next();
        startOrigin();
        originClient = OurBrokerClient.connected(server, "http://127.0.0.1:" + originPort, "e30K",
                Map.of("cragent.client.token", ORIGIN_TOKEN));
    }

    /** After the agent is up (CamelMainTestSupport starts it before the first test). */
    private OurBrokerClient agentClient() {
        if (agentClient == null) {
            agentClient = OurBrokerClient.connected(server, "http://127.0.0.1:" + agentPort, credentials, Map.of());
        }
        return agentClient;
    }

    @AfterAll
    void stopPeers() {
        Peers.closeAll(agentClient, originClient, server, saas, registry, () -> origin.stop(0));
    }

    @Test
    void theServerLooksOlderAndTheAgentsAnswersComeAsChunkEvents() {
        BrokerLink link = agentClient().bean("brokerLink", BrokerLink.class);
        for (BrokerSocket socket : link.sockets()) {
            assertThat(socket.isOpen()).as(socket.role()).isTrue();
            assertThat(socket.serverCapabilities()).as(socket.role()).doesNotContain(ResponseMode.POST_STREAMS_CAPABILITY);
        }
        HttpResponse<String> tags = server.call("GET", BROKER + "/list/team%2Fapp", SUBSTITUTED_CREDENTIALS, null);
        assertThat(tags.statusCode()).as(tags.body()).isEqualTo(200);
        assertThat(tags.body()).isEqualTo("[\"1.0\"]");
        assertThat(tags.headers().firstValue("content-type").orElseThrow()).startsWith("application/json");

        HttpResponse<String> repositories = server.call("GET", BROKER + "/list", SUBSTITUTED_CREDENTIALS, null);
        assertThat(repositories.statusCode()).as(repositories.body()).isEqualTo(200);
        assertThat(repositories.body()).contains("\"team/app\"");

        HttpResponse<String> missing = server.call("GET", BROKER + "/list/team%2Fnone", SUBSTITUTED_CREDENTIALS, null);
        assertThat(missing.statusCode()).as(missing.body()).isEqualTo(404);
        assertThat(missing.body()).contains("\"code\":\"REPOSITORY_NOT_FOUND\"");
        // A server that took POST streams logs "Handling response-data request" for each answer; this one got none.
        assertThat(server.log()).doesNotContain("response-data")
                .doesNotContain("Trying to write into a closed stream").doesNotContain("Discarding binary chunk");
    }

    @Test
    void ackModeIsUnchangedOnAnOlderServer() {
        agentClient();
        HttpResponse<String> metadata = server.call("GET", BROKER + "/image-metadata/team/app:1.0",
                Map.of("authorization", "${CR_CREDENTIALS}", "x-broker-var-sub", "authorization",
                        "x-broker-ws-response", "true"), null);
        assertThat(metadata.statusCode()).as(metadata.body()).isEqualTo(200);
        assertThat(metadata.body()).contains("\"tag\":\"1.0\"");
    }

    @Test
    void aBlockedRequestIs401FilterBlockedInChunkMode() {
        agentClient();
        HttpResponse<String> blocked = server.call("GET", BROKER + "/v2/_catalog", Map.of(), null);
        assertThat(blocked.statusCode()).isEqualTo(401);
        assertThat(blocked.body()).contains("\"code\":\"FILTER_BLOCKED\"").contains("\"url\":\"/v2/_catalog\"");
    }

    @Test
    void multiMegabyteUtf8ArrivesByteForByte() throws Exception {
        long started = System.nanoTime();
        HttpResponse<byte[]> response = bytes(ORIGIN_BROKER + "/list/utf8");
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain");
        assertThat(response.body().length).isEqualTo(UTF8_BODY.length);
        assertThat(sha256(response.body())).isEqualTo(sha256(UTF8_BODY));
        System.out.printf("chunk mode: %d bytes of UTF-8 in %d ms%n", UTF8_BODY.length, millis);
    }

    /** Binary chunks ($binary) reach the caller unchanged: the server writes the decoded bytes as they are. */
    @Test
    void binaryBodiesArriveByteForByte() throws Exception {
        HttpResponse<byte[]> response = bytes(ORIGIN_BROKER + "/list/binary");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/octet-stream");
        assertThat(sha256(response.body())).isEqualTo(sha256(BINARY_BODY));
    }

    /**
     * The origin breaks off after 1 MiB of a body sent without a length: chunk events cannot abort, so the caller
     * gets the part that was relayed, ended, and no error text in it — at once, not at a timeout.
     */
    @Test
    void aBodyThatBreaksOffEndsShortWithoutErrorText() throws Exception {
        long started = System.nanoTime();
        HttpResponse<byte[]> response = bytes(ORIGIN_BROKER + "/list/broken");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body().length).isLessThan(BINARY_BODY.length).isGreaterThan(0);
        assertThat(response.body()).isEqualTo(java.util.Arrays.copyOf(BINARY_BODY, response.body().length));
        HttpResponse<byte[]> next = bytes(ORIGIN_BROKER + "/list/binary");
        assertThat(sha256(next.body())).isEqualTo(sha256(BINARY_BODY));
    }

    /** Headers, then the connection cut before any body byte: the end event's 502 still applies. */
    @Test
    void aBodyThatBreaksOffBeforeItsFirstByteIs502() throws Exception {
        HttpResponse<byte[]> response = bytes(ORIGIN_BROKER + "/list/broken-at-once");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void anOriginThatIsDownIs502DownstreamUnreachable() throws Exception {
        HttpServer stopped = origin;
        stopped.stop(0);
        try {
            HttpResponse<String> response = server.call("GET", ORIGIN_BROKER + "/list/binary", Map.of(), null);
            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).isEqualTo("{\"code\":\"DOWNSTREAM_UNREACHABLE\",\"message\":"
                    + "\"connect ECONNREFUSED 127.0.0.1:" + originPort + "\"}");
        } finally {
            startOrigin();
        }
    }

    private HttpResponse<byte[]> bytes(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(120)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private synchronized void startOrigin() {
        try {
            origin = HttpServer.create(new InetSocketAddress("127.0.0.1", originPort), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        origin.createContext("/list/utf8", exchange -> answer(exchange, "text/plain; charset=utf-8", UTF8_BODY, UTF8_BODY.length));
        origin.createContext("/list/binary", exchange -> answer(exchange, "application/octet-stream", BINARY_BODY, BINARY_BODY.length));
        origin.createContext("/list/broken", exchange -> answer(exchange, "application/octet-stream", BINARY_BODY, 1024 * 1024));
        origin.createContext("/list/broken-at-once", exchange -> answer(exchange, "application/octet-stream", BINARY_BODY, 0));
        origin.start();
    }

    /** Sends {@code upTo} bytes of {@code body} in 50,000-byte writes; fewer than all → the connection is cut. */
    private static void answer(HttpExchange exchange, String contentType, byte[] body, int upTo) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean whole = upTo == body.length;
        exchange.sendResponseHeaders(200, whole ? body.length : 0);
        OutputStream out = exchange.getResponseBody();
        out.flush();
        for (int offset = 0; offset < upTo; offset += 50_000) {
            out.write(body, offset, Math.min(50_000, upTo - offset));
            out.flush();
        }
        if (!whole) {
            // Not closed: the server drops the connection without the last chunk of the chunked body.
            throw new IOException("cut off on purpose");
        }
        out.close();
    }

    private static byte[] utf8Body(int size) {
        // 1 + 2 + 3 + 4 bytes: a 64 KiB boundary falls 6 bytes further into the pattern each time, so 4 in 5 of
        // them (and most of any other cut) split a character.
        byte[] pattern = "aé€𝄞".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + pattern.length);
        while (out.size() < size) {
            out.writeBytes(pattern);
        }
        return out.toByteArray();
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(7).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
