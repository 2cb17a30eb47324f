package io.cragent.agent.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.agent.AgentTestSupport;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.FakeSaas;
import io.cragent.testsupport.Peers;
import io.cragent.testsupport.SnykBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scan jobs end to end, all on 127.0.0.1: fake SaaS → real snyk-broker server → real classic client (the shipped
 * container-registry-agent template; credentials and callback URL filled in by its body substitution) → our agent
 * → the CNCF registry; then the agent's callbacks back through client and server to the fake SaaS.
 */
class ScanJobsThroughSnykBrokerTest extends AgentTestSupport {
    private static final String BROKER = "/broker/" + SnykBroker.TOKEN;
    /** The SaaS outage of the fault test; the issue asks for a minute. */
    private static final Duration OUTAGE = Duration.ofSeconds(60);

    private DistributionRegistry registry;
    private FakeSaas saas;
    private SnykBroker server;
    private SnykBroker client;

    @BeforeAll
    void startPeers() {
        registry = DistributionRegistry.start(DistributionRegistry.Mode.PLAIN_HTPASSWD);
        JobImages.pushUbuntu(registry, JobImages.UBUNTU, "10.04");
        JobImages.pushHuge(registry, 45_000);
        override("cragent.registry.insecure-hosts", registry.hostPort());
        override("cragent.callbacks.poll-millis", "100");
        override("cragent.callbacks.initial-backoff-millis", "200");
        override("cragent.callbacks.max-backoff-seconds", "2");
        saas = new FakeSaas();
        server = SnykBroker.server(saas.origin());
    }

    private SnykBroker client() {
        if (client == null) {
            client = SnykBroker.client(server.url(), "http://127.0.0.1:" + agentPort,
                    credentials("docker-hub", registry.username(), registry.password(), registry.hostPort()), Map.of());
            server.awaitClientConnected(Duration.ofSeconds(30));
        }
        return client;
    }

    @AfterAll
    void stopPeers() {
        Peers.closeAll(client, server, saas, registry);
    }

    /** {@code POST /broker/<token>/<path>} as the SaaS sends it: values the client substitutes stay literal. */
    private String submit(String path, String images, String requestId) {
        client();
        String body = "{\"BROKER_VAR_SUB\":[\"credentials\",\"callbackUrl\"],\"credentials\":\"${CR_CREDENTIALS}\","
                + "\"callbackUrl\":\"${BROKER_CLIENT_URL}/api/v2/import/result\",\"images\":" + images
                + ",\"orgId\":\"org-42\",\"integrationId\":\"int-7\"}";
        HttpResponse<String> answer = server.call("POST", BROKER + path,
                Map.of("content-type", "application/json", "snyk-request-id", requestId), body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        return json(answer.body()).path("jobId").asText();
    }

    @Test
    void aScanThroughTheBrokerReportsItsPackagesThenDone() {
        String requestId = UUID.randomUUID().toString();
        String jobId = submit("/scan", "[\"" + JobImages.UBUNTU + ":10.04\"]", requestId);

        FakeSaas.Callback result = saas.await(c -> c.path().equals("/api/v2/import/result") && c.body().contains(jobId),
                1, Duration.ofSeconds(60)).get(0);
        JsonNode body = json(result.body());
        assertThat(body.path("imageName").asText()).isEqualTo(JobImages.UBUNTU + ":10.04");
        assertThat(body.path("deliveryId").asText()).isEqualTo(jobId + "/" + JobImages.UBUNTU + ":10.04");
        assertThat(body.path("context").path("orgId").asText()).isEqualTo("org-42");
        assertThat(body.path("context").path("integrationId").asText()).isEqualTo("int-7");
        assertThat(body.path("context").has("credentials")).isFalse();
        assertThat(packageIds(body)).hasSize(140).contains(JobImages.UBUNTU_PACKAGE);
        assertThat(result.headers()).containsEntry("snyk-request-id", requestId)
                .containsEntry("x-cr-agent-delivery-id", jobId + "/" + JobImages.UBUNTU + ":10.04")
                .containsKey("x-broker-token");
        assertThat(result.body()).doesNotContain(registry.password());

        FakeSaas.Callback done = saas.await(c -> c.path().equals("/api/v2/import/done") && c.body().contains(jobId),
                1, Duration.ofSeconds(30)).get(0);
        JsonNode summary = json(done.body());
        assertThat(summary.path("state").asText()).isEqualTo("done");
        assertThat(summary.path("images").get(0).path("state").asText()).isEqualTo("scanned");
        assertThat(summary.path("images").get(0).path("packages").asInt()).isEqualTo(140);
        assertThat(summary.path("context").path("orgId").asText()).isEqualTo("org-42");
        assertThat(done.headers()).containsEntry("snyk-request-id", requestId);
        assertThat(saas.received().indexOf(done)).isGreaterThan(saas.received().indexOf(result));

        Answer status = get("/scan/" + jobId, null);
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().path("state").asText()).isEqualTo("done");
        assertThat(status.json().path("results").get(0).path("result").path("scanResults").isArray()).isTrue();
        assertThat(filesUnder(dataDir)).noneMatch(text -> text.contains(registry.password()));
    }

    @Test
    void aFailingImageIsReportedWithItsErrorAndTheOthersStillScan() {
        String jobId = submit("/scan", "[\"jobs/missing:1\",\"" + JobImages.UBUNTU + ":10.04\"]",
                UUID.randomUUID().toString());
        List<FakeSaas.Callback> results = saas.await(c -> c.path().equals("/api/v2/import/result")
                && c.body().contains(jobId), 2, Duration.ofSeconds(60));
        JsonNode missing = json(results.stream().filter(c -> c.body().contains("jobs/missing")).findFirst().orElseThrow().body());
        assertThat(missing.path("error").path("code").asText()).isIn("REPOSITORY_NOT_FOUND", "IMAGE_NOT_FOUND");
        assertThat(missing.has("result")).isFalse();
        JsonNode done = json(saas.await(c -> c.path().equals("/api/v2/import/done") && c.body().contains(jobId), 1,
                Duration.ofSeconds(30)).get(0).body());
        assertThat(done.path("state").asText()).isEqualTo("done");
        assertThat(done.path("images").get(0).path("state").asText()).isEqualTo("failed");
        assertThat(done.path("images").get(1).path("state").asText()).isEqualTo("scanned");
    }

    @Test
    void discoverReportsToTheV1Path() {
        String jobId = submit("/discover", "[\"" + JobImages.UBUNTU + ":10.04\"]", UUID.randomUUID().toString());
        FakeSaas.Callback result = saas.await(c -> c.path().equals("/api/v1/recurring-tests/dependencies")
                && c.body().contains(jobId), 1, Duration.ofSeconds(60)).get(0);
        assertThat(packageIds(json(result.body()))).contains(JobImages.UBUNTU_PACKAGE);
        assertThat(saas.received()).noneMatch(c -> c.body().contains(jobId) && !c.path().startsWith("/api/v1/"));
    }

    @Test
    void aResultOverTenMegabytesIsSplitIntoPartsTheRealClientAccepts() {
        String jobId = submit("/scan", "[\"" + JobImages.HUGE + ":1\"]", UUID.randomUUID().toString());
        FakeSaas.Callback first = saas.await(c -> c.path().equals("/api/v2/import/result") && c.body().contains(jobId),
                1, Duration.ofSeconds(120)).get(0);
        int parts = json(first.body()).path("parts").asInt();
        assertThat(parts).isGreaterThan(1);
        List<FakeSaas.Callback> all = saas.await(c -> c.path().equals("/api/v2/import/result")
                && c.body().contains(jobId), parts, Duration.ofSeconds(120));
        Set<String> ids = new HashSet<>();
        Set<Integer> numbers = new HashSet<>();
        for (FakeSaas.Callback part : all) {
            assertThat(part.body().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(10_000_000);
            JsonNode body = json(part.body());
            numbers.add(body.path("part").asInt());
            assertThat(body.path("warnings").toString()).contains("split");
            ids.addAll(packageIds(body));
        }
        assertThat(numbers).hasSize(parts);
        assertThat(ids).hasSize(45_000).contains(JobImages.hugePackage(0) + "@1.0.0-1");
        JsonNode done = json(saas.await(c -> c.path().equals("/api/v2/import/done") && c.body().contains(jobId), 1,
                Duration.ofSeconds(60)).get(0).body());
        assertThat(done.path("images").get(0).path("callbackParts").asInt()).isEqualTo(parts);

        // Why: the real client refuses one body over its 10 MiB limit.
        String tooLarge = "{\"result\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}";
        HttpResponse<String> refused = client().call("POST", "/api/v2/import/result",
                Map.of("content-type", "application/json"), tooLarge);
        assertThat(refused.statusCode()).isGreaterThanOrEqualTo(400);
    }

    @Test
    void callbacksWaitOutAnOutageOfTheSaasAndAreAllDeliveredAfterwards() throws InterruptedException {
        client();
        saas.stop();
        long start = System.nanoTime();
        try {
            String jobId = submit("/scan", "[\"" + JobImages.UBUNTU + ":10.04\"]", UUID.randomUUID().toString());
            // The result is scanned and spooled, and its delivery keeps failing while the SaaS is away.
            awaitSpooled(Duration.ofSeconds(60));
            assertThat(filesUnder(dataDir)).noneMatch(text -> text.contains(registry.password())
                    || text.contains(credentials("docker-hub", registry.username(), registry.password(),
                    registry.hostPort())));
            Thread.sleep(Math.max(0, OUTAGE.toMillis() - Duration.ofNanos(System.nanoTime() - start).toMillis()));
            saas.start();
            saas.await(c -> c.path().equals("/api/v2/import/result") && c.body().contains(jobId), 1,
                    Duration.ofSeconds(60));
            saas.await(c -> c.path().equals("/api/v2/import/done") && c.body().contains(jobId), 1,
                    Duration.ofSeconds(60));
        } finally {
            saas.start();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(OUTAGE);
    }

    private void awaitSpooled(Duration timeout) throws InterruptedException {
        Path spool = dataDir.resolve("callbacks");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (filesUnder(spool).isEmpty()) {
            assertThat(System.nanoTime()).as("a spooled callback").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** The package ids of every depGraph in a callback body, the root left out. */
    private static Set<String> packageIds(JsonNode body) {
        Set<String> ids = new HashSet<>();
        for (JsonNode result : body.path("result").path("scanResults")) {
            for (JsonNode fact : result.path("facts")) {
                if (fact.path("type").asText().equals("depGraph")) {
                    JsonNode pkgs = fact.path("data").path("pkgs");
                    for (int i = 1; i < pkgs.size(); i++) {
                        ids.add(pkgs.get(i).path("id").asText());
                    }
                }
            }
        }
        return ids;
    }

    private static List<String> filesUnder(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(file -> {
                try {
                    return Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return ""; // delivered and deleted meanwhile
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
