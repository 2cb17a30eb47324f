package io.cragent.agent.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.FakeSaas;
import io.cragent.testsupport.FaultyRegistry;
import io.cragent.testsupport.FreePorts;
import io.cragent.testsupport.Peers;
import io.cragent.testsupport.SnykBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent killed (SIGKILL) in the middle of a job and started again on the same data directory, behind the real
 * snyk-broker server and client: a job that had finished but whose callbacks were still waiting (the SaaS was down)
 * is delivered by the new process; the job that was stalled on a registry is reported failed
 * ({@code AGENT_RESTARTED}), image by image and in its done callback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BROKER = "/broker/" + SnykBroker.TOKEN;

    private DistributionRegistry registry;
    private FaultyRegistry stalling;
    private FakeSaas saas;
    private SnykBroker server;
    private SnykBroker client;
    private AgentProcess agent;
    private final int agentPort = FreePorts.next();
    private Path dataDir;

    @BeforeAll
    void startPeers() throws IOException {
        registry = DistributionRegistry.start(DistributionRegistry.Mode.PLAIN_HTPASSWD);
        JobImages.pushUbuntu(registry, JobImages.UBUNTU, "10.04");
        stalling = FaultyRegistry.start("stall-user", "stall-pass");
        stalling.stall(stalling.layerBlobPath(), 1);
        dataDir = Files.createTempDirectory("cr-agent-restart-");
        saas = new FakeSaas();
        server = SnykBroker.server(saas.origin());
        client = SnykBroker.client(server.url(), "http://127.0.0.1:" + agentPort,
                credentials("docker-hub", registry.username(), registry.password(), registry.hostPort()), Map.of());
    }

    @AfterAll
    void stopPeers() {
        Peers.closeAll(agent, client, server, saas, stalling, registry);
    }

    private AgentProcess startAgent() {
        return startAgent(dataDir, Map.of());
    }

    /** @param overrides properties for this start only (they replace the ones set here) */
    private AgentProcess startAgent(Path data, Map<String, String> overrides) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("cragent.data-dir", data.toString());
        properties.put("cragent.registry.insecure-hosts", registry.hostPort() + "," + stalling.hostPort());
        properties.put("cragent.registry.allow-loopback", "true");
        properties.put("cragent.callbacks.allowed-hosts", "127.0.0.1");
        // The stalled layer must hold the job until the kill, not time out first.
        properties.put("cragent.registry.idle-timeout-seconds", "600");
        // Each job must pull the layer its own registry stalls or slows: the faulty registries serve one layer,
        // which the layer cache would otherwise read once for both.
        properties.put("cragent.scan.layer-cache-mb", "0");
        properties.put("cragent.callbacks.poll-millis", "100");
        properties.put("cragent.callbacks.initial-backoff-millis", "200");
        properties.put("cragent.callbacks.max-backoff-seconds", "1");
        properties.putAll(overrides);
        return AgentProcess.start(agentPort, properties);
    }

    @Test
    void finishedResultsSurviveAKillAndTheInterruptedJobIsReportedFailed() throws Exception {
        agent = startAgent();
        server.awaitClientConnected(Duration.ofSeconds(30));
        saas.stop();

        String finished = submit("{\"BROKER_VAR_SUB\":[\"credentials\",\"callbackUrl\"],\"credentials\":\"${CR_CREDENTIALS}\","
                + "\"callbackUrl\":\"${BROKER_CLIENT_URL}\",\"images\":[\"" + JobImages.UBUNTU + ":10.04\"],\"orgId\":\"o1\"}");
        // A second job whose credentials come in the body (not substituted) names the registry that stalls.
        String stalled = submit("{\"BROKER_VAR_SUB\":[\"callbackUrl\"],\"callbackUrl\":\"${BROKER_CLIENT_URL}\","
                + "\"credentials\":\"" + credentials("docker-hub", "stall-user", "stall-pass", stalling.hostPort())
                + "\",\"images\":[\"" + FaultyRegistry.REPOSITORY + ":" + FaultyRegistry.TAG + "\"],\"orgId\":\"o2\"}");

        // "done" is stored before the done callback is spooled: a kill in between would lose that callback.
        awaitTrue("the first job done and spooled, the second stalled mid-layer", Duration.ofSeconds(60), () ->
                state(finished).equals("done") && spooled(dataDir, finished + "-done")
                        && state(stalled).equals("running") && stalling.requestCount(stalling.layerBlobPath()) > 0);
        assertThat(saas.received()).isEmpty();
        agent.kill();

        saas.start();
        agent = startAgent();

        FakeSaas.Callback result = saas.await(c -> c.path().equals("/api/v2/import/result")
                && c.body().contains(finished), 1, Duration.ofSeconds(60)).get(0);
        assertThat(result.body()).contains(JobImages.UBUNTU_PACKAGE);
        JsonNode finishedDone = json(saas.await(c -> c.path().equals("/api/v2/import/done")
                && c.body().contains(finished), 1, Duration.ofSeconds(30)).get(0).body());
        assertThat(finishedDone.path("state").asText()).isEqualTo("done");

        JsonNode interrupted = json(saas.await(c -> c.path().equals("/api/v2/import/result")
                && c.body().contains(stalled), 1, Duration.ofSeconds(30)).get(0).body());
        assertThat(interrupted.path("imageName").asText()).isEqualTo(FaultyRegistry.REPOSITORY + ":" + FaultyRegistry.TAG);
        assertThat(interrupted.path("error").path("code").asText()).isEqualTo("AGENT_RESTARTED");
        assertThat(interrupted.path("context").path("orgId").asText()).isEqualTo("o2");
        JsonNode stalledDone = json(saas.await(c -> c.path().equals("/api/v2/import/done")
                && c.body().contains(stalled), 1, Duration.ofSeconds(30)).get(0).body());
        assertThat(stalledDone.path("state").asText()).isEqualTo("failed");
        assertThat(stalledDone.path("error").path("code").asText()).isEqualTo("AGENT_RESTARTED");
        assertThat(state(stalled)).isEqualTo("failed");
        // Reported once its callbacks were spooled: a further restart would not report it again.
        Path stalledRecord = dataDir.resolve("jobs").resolve(stalled + ".job.json");
        awaitTrue("the recovered job marked reported", Duration.ofSeconds(30),
                () -> json(readString(stalledRecord)).path("reportSpooled").asBoolean(false));

        // Nothing on disk ever held the registry credentials.
        try (var files = Files.walk(dataDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file, StandardCharsets.UTF_8)).as(file.toString())
                        .doesNotContain(registry.password()).doesNotContain("stall-pass");
            }
        }
    }

    /**
     * SIGTERM, as Kubernetes stops a pod, with two jobs running: one slowed by the registry (429 with Retry-After)
     * finishes during the stop and its callbacks, spooled while the SaaS is down, are delivered after the restart;
     * one stalled for good is cut off at the shutdown timeout (the process does not hang) and reported
     * AGENT_RESTARTED at the next start.
     */
    @Test
    void aStopLetsRunningJobsFinishAndCutsOffTheRestAtTheShutdownTimeout() throws Exception {
        Peers.closeAll(agent);
        Path data = Files.createTempDirectory("cr-agent-stop-");
        try (FaultyRegistry slow = FaultyRegistry.start("slow-user", "slow-pass");
             FaultyRegistry stuck = FaultyRegistry.start("stuck-user", "stuck-pass")) {
            Map<String, String> stopping = Map.of("camel.main.shutdown-timeout", "8", "cragent.jobs.max-active", "2",
                    "cragent.registry.insecure-hosts", slow.hostPort() + "," + stuck.hostPort());
            agent = startAgent(data, stopping);
            server.awaitClientConnected(Duration.ofSeconds(30));
            saas.stop();
            slow.throttle(slow.layerBlobPath(), 2);
            stuck.stall(stuck.layerBlobPath(), 1);
            String finishing = submit(bodyFor(slow, "slow-user", "slow-pass", "o3"));
            String cutOff = submit(bodyFor(stuck, "stuck-user", "stuck-pass", "o4"));
            awaitTrue("both jobs running, both at their layer", Duration.ofSeconds(60), () ->
                    state(finishing).equals("running") && state(cutOff).equals("running")
                            && slow.requestCount(slow.layerBlobPath()) > 0 && stuck.requestCount(stuck.layerBlobPath()) > 0);

            Duration stop = agent.terminate(Duration.ofSeconds(60));
            // 8 s plus the JVM's own stop on a loaded machine; without the setting Camel's default is 50 s.
            assertThat(stop).as("bounded by the shutdown timeout (8 s)").isLessThan(Duration.ofSeconds(30));
            assertThat(agent.log()).as("the stop is logged: Log4j's own hook is off").contains("shutting down");
            assertThat(saas.received()).as("the SaaS was down").noneMatch(c -> c.body().contains(finishing)
                    || c.body().contains(cutOff));

            saas.start();
            agent = startAgent(data, stopping);
            JsonNode finished = json(saas.await(c -> c.path().equals("/api/v2/import/result")
                    && c.body().contains(finishing), 1, Duration.ofSeconds(60)).get(0).body());
            assertThat(finished.has("error")).as(finished.toString()).isFalse();
            assertThat(finished.path("context").path("orgId").asText()).isEqualTo("o3");
            assertThat(json(saas.await(c -> c.path().equals("/api/v2/import/done") && c.body().contains(finishing), 1,
                    Duration.ofSeconds(30)).get(0).body()).path("state").asText()).isEqualTo("done");
            JsonNode reported = json(saas.await(c -> c.path().equals("/api/v2/import/result")
                    && c.body().contains(cutOff), 1, Duration.ofSeconds(30)).get(0).body());
            assertThat(reported.path("error").path("code").asText()).isEqualTo("AGENT_RESTARTED");
        }
    }

    private static String bodyFor(FaultyRegistry registry, String user, String password, String orgId) {
        return "{\"BROKER_VAR_SUB\":[\"callbackUrl\"],\"callbackUrl\":\"${BROKER_CLIENT_URL}\",\"credentials\":\""
                + credentials("docker-hub", user, password, registry.hostPort()) + "\",\"images\":[\""
                + FaultyRegistry.REPOSITORY + ":" + FaultyRegistry.TAG + "\"],\"orgId\":\"" + orgId + "\"}";
    }

    private String submit(String body) {
        HttpResponse<String> answer = server.call("POST", BROKER + "/scan", Map.of("content-type", "application/json"), body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        return json(answer.body()).path("jobId").asText();
    }

    private String state(String jobId) {
        HttpResponse<String> answer = client.call("GET", "/healthcheck", Map.of(), null); // keeps the client honest
        assertThat(answer.statusCode()).isEqualTo(200);
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            var response = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + agentPort + "/scan/" + jobId)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return json(response.body()).path("state").asText();
        } catch (IOException e) {
            return "unreachable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A callback file of the spool ({@code <millis>-<sequence>-<jobId>-<result|done>.callback}) ends so, written
     * whole (renamed from its {@code .writing-} name).
     */
    private static boolean spooled(Path data, String jobIdAndKind) {
        try (var files = Files.list(data.resolve("callbacks"))) {
            return files.map(file -> file.getFileName().toString())
                    .anyMatch(name -> !name.startsWith(".") && name.endsWith(jobIdAndKind + ".callback"));
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitTrue(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        io.cragent.testsupport.Await.until(what, timeout, condition);
    }

    private static String credentials(String type, String username, String password, String registryBase) {
        String line = "{\"type\":\"" + type + "\", \"username\":\"" + username + "\", \"password\":\"" + password
                + "\", \"registryBase\":\"" + registryBase + "\"}\n";
        return Base64.getEncoder().encodeToString(line.getBytes(StandardCharsets.UTF_8));
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
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
