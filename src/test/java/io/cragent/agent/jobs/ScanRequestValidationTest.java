package io.cragent.agent.jobs;

import io.cragent.agent.AgentTestSupport;
import io.cragent.testsupport.FaultyRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /scan} input checks against the real app: every bad request gets a 400 JSON error and nothing is
 * queued or stored; a full queue answers 503 with Retry-After; {@code GET /scan/<jobId>} reports queued and
 * running jobs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScanRequestValidationTest extends AgentTestSupport {
    private FaultyRegistry registry;
    private String creds;

    @BeforeAll
    void startRegistry() {
        registry = FaultyRegistry.start("u", "p");
        override("cragent.registry.insecure-hosts", registry.hostPort());
        override("cragent.registry.idle-timeout-seconds", "600");
        override("cragent.jobs.queue-size", "1");
        override("cragent.jobs.max-active", "1");
        creds = credentials("harbor-cr", "u", "p", registry.hostPort());
    }

    @AfterAll
    void stopRegistry() {
        registry.close();
    }

    private Answer scan(String body) {
        return post("/scan", body);
    }

    @Test
    @Order(1) // before the queue test leaves a job stalled on the registry
    void badRequestsAreRefusedAndNothingIsQueued() throws IOException {
        java.util.List<java.nio.file.Path> filesBefore = files();
        int requestsBefore = registry.requests().size();
        int jobsBefore = context.getRegistry().lookupByNameAndType("jobStore", JobStore.class).size();
        String image = "\"images\":[\"fault/app:1.0\"]";
        String c = "\"credentials\":\"" + creds + "\"";
        assertBadRequest(scan(""), "BAD_REQUEST");
        assertBadRequest(scan("not json"), "BAD_REQUEST");
        assertBadRequest(scan("[1,2]"), "BAD_REQUEST");
        assertBadRequest(scan("{" + c + "}"), "BAD_REQUEST");
        assertBadRequest(scan("{" + c + ",\"images\":\"fault/app:1.0\"}"), "BAD_REQUEST");
        assertBadRequest(scan("{" + c + ",\"images\":[\"\"]}"), "BAD_REQUEST");
        assertBadRequest(scan("{" + c + ",\"images\":[\"fault/../etc:1\"]}"), "INVALID_NAME");
        assertBadRequest(scan("{" + c + ",\"images\":[\"Fault/App:1.0\"]}"), "INVALID_NAME");
        assertBadRequest(scan("{" + c + ",\"images\":[\"other.example.com/fault/app:1.0\"]}"), "REGISTRY_NOT_ALLOWED");
        assertBadRequest(scan("{" + image + "}"), "INVALID_CREDENTIALS");
        assertBadRequest(scan("{\"credentials\":\"bm90IGpzb24\"," + image + "}"), "INVALID_CREDENTIALS");
        assertBadRequest(scan("{" + c + "," + image + ",\"platform\":\"linux\"}"), "BAD_REQUEST");
        assertBadRequest(scan("{" + c + "," + image + ",\"callbackUrl\":\"ftp://client:7341\"}"), "BAD_REQUEST");
        assertBadRequest(scan("{" + c + "," + image + ",\"callbackUrl\":\"http://u:p@client:7341\"}"), "BAD_REQUEST");
        assertBadRequest(scan("{" + c + "," + image + ",\"callbackUrl\":\"http://client:7341/?a=b\"}"), "BAD_REQUEST");
        assertBadRequest(scan("{" + c + "," + image + ",\"callbackUrl\":\"${BROKER_CLIENT_URL}\"}"), "BAD_REQUEST");
        assertBadRequest(post("/discover", "{" + c + "}"), "BAD_REQUEST");
        StringBuilder tooMany = new StringBuilder("{" + c + ",\"images\":[");
        for (int i = 0; i < 101; i++) {
            tooMany.append(i == 0 ? "" : ",").append("\"fault/app:").append(i).append("\"");
        }
        assertBadRequest(scan(tooMany.append("]}").toString()), "BAD_REQUEST");

        assertThat(get("/scan", null).status()).isEqualTo(405);
        Answer unknown = get("/scan/00000000-0000-0000-0000-000000000000", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("JOB_NOT_FOUND");
        assertThat(files()).as("nothing stored or spooled").isEqualTo(filesBefore);
        assertThat(context.getRegistry().lookupByNameAndType("jobStore", JobStore.class).size()).isEqualTo(jobsBefore);
        assertThat(registry.requests()).as("no registry call").hasSize(requestsBefore);
    }

    private java.util.List<java.nio.file.Path> files() throws IOException {
        try (Stream<java.nio.file.Path> files = Files.walk(dataDir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    @Order(2)
    void aJobIsMarkedReportedOnlyOnceItsLastCallbacksAreInTheSpool() throws Exception {
        JobStore store = context.getRegistry().lookupByNameAndType("jobStore", JobStore.class);
        Answer accepted = scan("{\"credentials\":\"" + creds + "\",\"imageName\":\"fault/app:1.0\","
                + "\"callbackUrl\":\"http://127.0.0.1:9/\"}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String jobId = accepted.json().path("jobId").asText();
        io.cragent.testsupport.Await.until("job " + jobId + " finished and reported", Duration.ofSeconds(30),
                () -> store.get(jobId).finished() && !store.get(jobId).reportPending());
        try (var spooled = Files.list(dataDir.resolve("callbacks"))) {
            assertThat(spooled.map(p -> p.getFileName().toString()))
                    .anyMatch(name -> name.contains(jobId) && name.contains("done"));
        }
    }

    @Test
    @Order(3)
    void aJobWhoseCallbacksCannotBeSpooledFailsInsteadOfStayingRunning() throws Exception {
        Path spool = dataDir.resolve("callbacks");
        Path moved = dataDir.resolve("callbacks-away");
        Files.move(spool, moved);
        Files.writeString(spool, "not a directory");
        try {
            Answer accepted = scan("{\"credentials\":\"" + creds + "\",\"imageName\":\"fault/app:1.0\","
                    + "\"callbackUrl\":\"http://127.0.0.1:9/\"}");
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
            String jobId = accepted.json().path("jobId").asText();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Answer status;
            while (!(status = get("/scan/" + jobId, null)).json().path("state").asText().equals("failed")) {
                assertThat(System.nanoTime()).as(status.body()).isLessThan(deadline);
                Thread.sleep(50);
            }
            // Stored failed, the job then spools its failure callbacks (and fails to): the spool is put back only
            // after that, else the write could recreate the directory between the delete and the move below.
            while (context.getInflightRepository().size("job-worker") > 0) {
                assertThat(System.nanoTime()).as("the failed job's worker done").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(status.json().path("error").path("code").asText()).isEqualTo("INTERNAL_ERROR");
            // Its callbacks never reached the spool, so a restart would report the job again.
            assertThat(context.getRegistry().lookupByNameAndType("jobStore", JobStore.class).get(jobId).reportPending())
                    .isTrue();
        } finally {
            Files.delete(spool);
            Files.move(moved, spool);
        }
    }

    @Test
    @Order(4)
    void aFullQueueAnswers503WithRetryAfterAndForgetsTheJob() throws InterruptedException {
        registry.stall(registry.layerBlobPath(), 1);
        JobStore store = context.getRegistry().lookupByNameAndType("jobStore", JobStore.class);
        int jobsBefore = store.size();
        String body = "{\"credentials\":\"" + creds + "\",\"imageName\":\"fault/app:1.0\"}";
        Answer running = scan(body);
        assertThat(running.status()).as(running.body()).isEqualTo(202);
        String runningId = running.json().path("jobId").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!get("/scan/" + runningId, null).json().path("state").asText().equals("running")) {
            assertThat(System.nanoTime()).as("job running").isLessThan(deadline);
            Thread.sleep(50);
        }
        Answer queued = scan(body);
        assertThat(queued.status()).isEqualTo(202);
        assertThat(get("/scan/" + queued.json().path("jobId").asText(), null).json().path("state").asText())
                .isEqualTo("queued");

        Answer full = scan(body);
        assertThat(full.status()).as(full.body()).isEqualTo(503);
        assertThat(full.errorCode()).isEqualTo("QUEUE_FULL");
        assertThat(full.response().headers().firstValue("Retry-After")).hasValue("30");
        assertThat(store.size()).isEqualTo(jobsBefore + 2);
    }

    @Test
    void workerAndDeliveryRoutesUseTheirOwnErrorHandlingOnly() {
        assertThat(context.getRoute("job-worker").getConfigurationId()).isEqualTo("jobs");
        assertThat(context.getRoute("callback-delivery").getConfigurationId()).isEqualTo("callbacks");
        assertThat(context.getRoute("callback-spool").getConfigurationId()).isEqualTo("spool");
    }

    private static void assertBadRequest(Answer answer, String code) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.errorCode()).as(answer.body()).isEqualTo(code);
        assertThat(answer.body()).doesNotContain("jobId");
    }
}
