package io.cragent.metrics;

import io.cragent.testsupport.Await;

import io.cragent.agent.AgentTestSupport;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.FreePorts;
import io.cragent.testsupport.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's liveness, readiness and Prometheus metrics, on the real app with a CNCF registry as its default
 * registry (CR_BASE and credentials in its environment): a scan job moves the counters; the registry going away
 * makes it unready. The last test stops the registry.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentHealthAndMetricsTest extends AgentTestSupport {
    private DistributionRegistry registry;
    private String credentials;
    private long layerBytes;
    /** Nothing listens here: every callback to it fails and is retried. */
    private final int deadCallbackPort = FreePorts.next();

    @BeforeAll
    void startRegistry() {
        registry = DistributionRegistry.start(DistributionRegistry.Mode.PLAIN_HTPASSWD);
        layerBytes = TestImages.pushImage(registry, "team/app", "1.0", TestImages.Format.OCI).layers().stream()
                .mapToLong(TestImages.Layer::size).sum();
        override("cragent.registry.insecure-hosts", registry.hostPort());
        override("cragent.callbacks.poll-millis", "100");
        override("cragent.callbacks.initial-backoff-millis", "100");
        override("cragent.callbacks.max-backoff-seconds", "1");
        override("cragent.health.registry-base", registry.hostPort());
        override("cragent.health.registry-username", registry.username());
        override("cragent.health.registry-password", registry.password());
        credentials = credentials("docker-hub", registry.username(), registry.password(), registry.hostPort());
    }

    @AfterAll
    void stopRegistry() {
        registry.close();
    }

    @Test
    @Order(1)
    void liveAndReadyWhileTheRegistryAnswers() {
        Answer live = get("/health/live", null);
        assertThat(live.status()).as(live.body()).isEqualTo(200);
        assertThat(live.json().path("status").asText()).isEqualTo("UP");
        assertThat(live.response().headers().firstValue("content-type")).hasValue("application/json");

        Answer ready = get("/health/ready", null);
        assertThat(ready.status()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).contains("\"id\":\"registry\"").contains("registry reachable")
                .doesNotContain(registry.password());
        assertThat(post("/metrics", "{}").status()).isEqualTo(405);
        // Snyk's own endpoint is unchanged.
        assertThat(get("/healthcheck", null).status()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void aScanJobMovesTheCounters() {
        String before = scrape();
        scanJobDone("\"team/app:1.0\",\"team/missing:1\"");

        String after = await(this::scrape,
                text -> MetricsText.value(text, "cragent_callback_retries_total") > MetricsText.value(before, "cragent_callback_retries_total"));
        assertThat(delta(before, after, "cragent_scans_total", "outcome=\"success\"", "type=\"docker-hub\"")).isEqualTo(1);
        assertThat(delta(before, after, "cragent_scans_total", "type=\"docker-hub\"")).isEqualTo(2);
        assertThat(delta(before, after, "cragent_scan_duration_seconds_count", "type=\"docker-hub\"")).isEqualTo(2);
        assertThat(after).contains("cragent_scan_duration_seconds_bucket{");
        assertThat(delta(before, after, "cragent_registry_pulled_bytes_total")).isEqualTo(layerBytes);
        assertThat(delta(before, after, "cragent_registry_errors_total", "status=\"404\"")).isGreaterThanOrEqualTo(1);
        assertThat(after).contains("cragent_jobs_queued ").contains("# TYPE cragent_scans_total counter");
        assertThat(after).doesNotContain(registry.password()).doesNotContain("team/app").doesNotContain("team/missing")
                .doesNotContain(registry.hostPort());
    }

    @Test
    @Order(3)
    void theSameImageScannedAgainComesFromTheLayerCache() {
        String before = scrape();
        scanJobDone("\"team/app:1.0\"");
        String after = await(this::scrape, text -> delta(before, text, "cragent_scans_total", "outcome=\"success\"") == 1);
        assertThat(delta(before, after, "cragent_registry_pulled_bytes_total")).isZero();
        assertThat(delta(before, after, "cragent_scan_layer_cache_hits_total")).isEqualTo(2);
        assertThat(delta(before, after, "cragent_scan_layer_cache_misses_total")).isZero();
        assertThat(MetricsText.value(after, "cragent_scan_layer_cache_bytes")).isPositive();
    }

    @Test
    @Order(4)
    void notReadyOnceTheRegistryIsGoneButStillLive() {
        registry.close();
        Answer ready = get("/health/ready", null);
        assertThat(ready.status()).as(ready.body()).isEqualTo(503);
        assertThat(ready.json().path("status").asText()).isEqualTo("DOWN");
        assertThat(ready.body()).contains("registry unreachable");
        assertThat(get("/health/live", null).status()).isEqualTo(200);
    }

    private String scrape() {
        Answer metrics = get("/metrics", null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.response().headers().firstValue("content-type").orElse("")).startsWith("text/plain");
        return metrics.body();
    }

    /** Submits a scan job of these images (a JSON list's items) whose callbacks cannot be delivered; waits for done. */
    private void scanJobDone(String images) {
        String body = "{\"credentials\":\"" + credentials + "\",\"callbackUrl\":\"http://127.0.0.1:" + deadCallbackPort
                + "/api/v2/import/result\",\"images\":[" + images + "]}";
        Answer accepted = post("/scan", body);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String jobId = accepted.json().path("jobId").asText();
        await(() -> get("/scan/" + jobId, null).json().path("state").asText(), "done"::equals);
    }

    private static double delta(String before, String after, String name, String... labels) {
        return MetricsText.value(after, name, labels) - MetricsText.value(before, name, labels);
    }

    private static <T> T await(java.util.function.Supplier<T> read, Predicate<T> done) {
        return Await.until("there", Duration.ofSeconds(60), read, done);
    }
}
