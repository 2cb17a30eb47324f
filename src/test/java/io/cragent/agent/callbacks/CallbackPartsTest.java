package io.cragent.agent.callbacks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cragent.agent.jobs.ImageOutcome;
import io.cragent.agent.jobs.JobRecord;
import io.cragent.scan.output.DepGraph;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CallbackPartsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LIMIT = 60_000;

    private static JobRecord job(String callbackBase) {
        return new JobRecord("11111111-2222-3333-4444-555555555555", "scan", "running", "linux/amd64",
                List.of(new JobRecord.Image("team/app:1", "pending", null, null, null)), callbackBase,
                JSON.createObjectNode().put("orgId", "o1"), Map.of("snyk-request-id", "r1"), "t0", "t1", null, null, null);
    }

    /** A PluginResponse: an OS result with {@code packages} packages (each depending on the next), and an app result. */
    private static ObjectNode response(int packages) {
        DepGraph graph = new DepGraph("deb", "debian:12", new DepGraph.Pkg("docker-image|team/app", "1", null));
        for (int i = 0; i < packages; i++) {
            graph.add(new DepGraph.Pkg("package-" + i, "1.0", "pkg:deb/debian/package-" + i + "@1.0"));
            if (i > 0) {
                graph.edge("package-" + (i - 1) + "@1.0", "package-" + i + "@1.0");
            }
        }
        ObjectNode response = JSON.createObjectNode();
        ObjectNode os = response.putArray("scanResults").addObject();
        os.putObject("identity").put("type", "deb");
        os.putArray("facts").addObject().put("type", "depGraph").set("data", graph.toJson());
        os.withArray("facts").addObject().put("type", "imageId").put("data", "sha256:abc");
        ObjectNode app = response.withArray("scanResults").addObject();
        app.putObject("identity").put("type", "npm").put("targetFile", "/app/package.json");
        app.putArray("facts").addObject().put("type", "testedFiles").putArray("data").add("package.json");
        return response;
    }

    @Test
    void aSmallResultIsOneCallbackWithItsDeliveryIdAndHeaders() throws IOException {
        List<Callback> callbacks = new CallbackParts(LIMIT).forImage(job("http://client:7341"),
                ImageOutcome.scanned("team/app:1", response(10), 10));
        assertThat(callbacks).hasSize(1);
        Callback callback = callbacks.get(0);
        assertThat(callback.url()).isEqualTo("http://client:7341/api/v2/import/result");
        assertThat(callback.headers()).containsEntry("snyk-request-id", "r1")
                .containsEntry(Callback.DELIVERY_ID_HEADER, "11111111-2222-3333-4444-555555555555/team/app:1");
        JsonNode body = JSON.readTree(callback.body());
        assertThat(body.path("context").path("orgId").asText()).isEqualTo("o1");
        assertThat(body.has("parts")).isFalse();
        assertThat(body.path("result").path("scanResults")).hasSize(2);
    }

    @Test
    void aLargeResultIsSplitIntoNumberedPartsUnderTheLimitKeepingEveryPackage() throws IOException {
        List<Callback> parts = new CallbackParts(LIMIT).forImage(job("http://client:7341"),
                ImageOutcome.scanned("team/app:1", response(2000), 2000));
        assertThat(parts.size()).isGreaterThan(3);
        Set<String> ids = new HashSet<>();
        Set<String> deliveryIds = new HashSet<>();
        boolean appSeen = false;
        for (int i = 0; i < parts.size(); i++) {
            Callback part = parts.get(i);
            assertThat(part.body().length).isLessThanOrEqualTo(LIMIT);
            JsonNode body = JSON.readTree(part.body());
            assertThat(body.path("part").asInt()).isEqualTo(i + 1);
            assertThat(body.path("parts").asInt()).isEqualTo(parts.size());
            assertThat(body.path("warnings").toString()).contains("split").contains("cut into");
            deliveryIds.add(body.path("deliveryId").asText());
            for (JsonNode result : body.path("result").path("scanResults")) {
                appSeen |= result.path("identity").path("type").asText().equals("npm");
                for (JsonNode fact : result.path("facts")) {
                    if (fact.path("type").asText().equals("depGraph")) {
                        JsonNode graph = fact.path("data");
                        JsonNode pkgs = graph.path("pkgs");
                        Set<String> inChunk = new HashSet<>();
                        for (int p = 1; p < pkgs.size(); p++) {
                            inChunk.add(pkgs.get(p).path("id").asText());
                        }
                        ids.addAll(inChunk);
                        // Every node is reachable from the root, and no edge leaves the chunk.
                        assertThat(graph.path("graph").path("nodes").get(0).path("deps")).hasSize(inChunk.size());
                        for (JsonNode node : graph.path("graph").path("nodes")) {
                            for (JsonNode dep : node.path("deps")) {
                                assertThat(inChunk).contains(dep.path("nodeId").asText());
                            }
                        }
                    }
                }
            }
        }
        assertThat(ids).hasSize(2000);
        assertThat(deliveryIds).hasSize(parts.size());
        assertThat(appSeen).isTrue();
    }

    @Test
    void errorsAndTheSummaryFollowTheKindOfJob() throws IOException {
        CallbackParts parts = new CallbackParts(LIMIT);
        Callback error = parts.forImage(job("http://client:7341"), ImageOutcome.failed("team/app:1",
                io.cragent.errors.ErrorCode.AUTH_FAILED, "the registry rejected the credentials")).get(0);
        assertThat(JSON.readTree(error.body()).path("error").path("code").asText()).isEqualTo("AUTH_FAILED");
        Callback done = parts.done(job("http://client:7341")).get(0);
        assertThat(done.url()).isEqualTo("http://client:7341/api/v2/import/done");
        assertThat(done.done()).isTrue();
        assertThat(parts.forImage(job(null), ImageOutcome.scanned("team/app:1", response(1), 1))).isEmpty();
        JobRecord discover = new JobRecord("11111111-2222-3333-4444-555555555555", "discover", "done", "linux/amd64",
                List.of(), "http://c:1", JSON.createObjectNode(), Map.of(), "t0", "t1", "t2", null, true);
        assertThat(parts.done(discover)).isEmpty();
    }

    @Test
    void backoffDoublesUpToItsMaximum() {
        DeliveryBackoff backoff = new DeliveryBackoff(Duration.ofMillis(100), Duration.ofMillis(500));
        assertThat(backoff.failed("f")).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.failed("f")).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.failed("f")).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.failed("f")).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.isDue("f")).isFalse();
        assertThat(backoff.isDue("other")).isTrue();
        backoff.forget("f");
        assertThat(backoff.isDue("f")).isTrue();
    }
}
