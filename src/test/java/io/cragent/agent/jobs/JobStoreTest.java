package io.cragent.agent.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cragent.credentials.RegistryCredentials;
import io.cragent.credentials.RegistryType;
import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    private static ScanJob job(String... images) {
        ObjectNode context = JSON.createObjectNode().put("orgId", "o1");
        return new ScanJob(UUID.randomUUID().toString(), JobKind.SCAN, List.of(images), "linux/amd64",
                "http://client:7341", context, Map.of("snyk-request-id", "r1"),
                RegistryCredentials.basic(RegistryType.HARBOR_CR, "user", "secret-password", "harbor.example.com"),
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    private static Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    @Test
    void aJobGoesFromQueuedToDoneAndShowsItsResults() {
        JobStore store = new JobStore(dir, 10, Duration.ofHours(1), at("2026-01-01T00:00:01Z"));
        ScanJob job = job("a:1", "b:1");
        assertThat(store.accept(job).state()).isEqualTo("queued");
        assertThat(store.status(job.id())).doesNotContainKey("results").doesNotContainKey("callbackBase");
        store.started(job.id());
        store.imageFinished(job.id(), ImageOutcome.scanned("a:1", JSON.createObjectNode().put("x", 1), 3), 1);
        store.imageFinished(job.id(), ImageOutcome.failed("b:1", ErrorCode.IMAGE_NOT_FOUND, "image b:1 not found"), 1);
        JobRecord done = store.finished(job.id());
        assertThat(done.state()).isEqualTo("done");
        assertThat(done.images()).extracting(JobRecord.Image::state).containsExactly("scanned", "failed");
        Map<String, Object> status = store.status(job.id());
        assertThat(status.get("state")).isEqualTo("done");
        assertThat(status.get("results").toString()).contains("a:1").contains("{\"x\":1}").doesNotContain("b:1");
    }

    /** Killed between storing a job finished and spooling its done callback: the next run reports it again. */
    @Test
    void aFinishedJobWhoseLastCallbacksMayNotBeSpooledIsReportedAgainOnce() throws IOException {
        JobStore first = new JobStore(dir, 10, Duration.ofHours(1), at("2026-01-01T00:00:01Z"));
        ScanJob unreported = job("a:1");
        ScanJob reported = job("b:1");
        for (ScanJob job : List.of(unreported, reported)) {
            first.accept(job);
            first.started(job.id());
            first.imageFinished(job.id(), ImageOutcome.scanned(job.images().get(0), JSON.createObjectNode(), 1), 1);
            first.finished(job.id());
        }
        first.reportSpooled(reported.id());
        assertThat(first.status(unreported.id())).doesNotContainKey("reportSpooled");

        JobStore second = new JobStore(dir, 10, Duration.ofHours(1), at("2026-01-01T00:01:00Z"));
        List<JobRecord> again = second.takeInterrupted();
        assertThat(again).extracting(JobRecord::jobId).containsExactly(unreported.id());
        assertThat(again.get(0).state()).as("still done, not failed").isEqualTo("done");
        assertThat(again.get(0).images()).extracting(JobRecord.Image::callbackParts).containsExactly(1);
        second.reportSpooled(unreported.id());

        JobStore third = new JobStore(dir, 10, Duration.ofHours(1), at("2026-01-01T00:02:00Z"));
        assertThat(third.takeInterrupted()).isEmpty();
        assertThat(third.get(unreported.id()).state()).isEqualTo("done");
    }

    /** Records written before the report flag existed count as reported: an upgrade resends nothing. */
    @Test
    void aFinishedJobFromAnOlderAgentIsNotReportedAgain() throws IOException {
        JobStore first = new JobStore(dir, 10, Duration.ofHours(1), at("2026-01-01T00:00:01Z"));
        ScanJob job = job("a:1");
        first.accept(job);
        first.started(job.id());
        first.finished(job.id());
        Path file;
        try (Stream<Path> files = Files.list(dir)) {
            file = files.filter(f -> f.getFileName().toString().equals(job.id() + ".job.json")).findFirst().orElseThrow();
        }
        ObjectNode record = (ObjectNode) JSON.readTree(file.toFile());
        assertThat(record.path("reportSpooled").asBoolean(true)).isFalse();
        record.remove("reportSpooled");
        JSON.writeValue(file.toFile(), record);

        JobStore second = new JobStore(dir, 10, Duration.ofHours(1), at("2026-01-01T00:01:00Z"));
        assertThat(second.takeInterrupted()).isEmpty();
    }

    @Test
    void unfinishedJobsOfAnEarlierRunFailWithAgentRestartedAndNoCredentialIsOnDisk() throws IOException {
        JobStore first = new JobStore(dir, 10, Duration.ofHours(1), at("2026-01-01T00:00:01Z"));
        ScanJob running = job("a:1", "b:1");
        ScanJob queued = job("c:1");
        ScanJob finished = job("d:1");
        first.accept(running);
        first.accept(queued);
        first.accept(finished);
        first.started(running.id());
        first.imageFinished(running.id(), ImageOutcome.scanned("a:1", JSON.createObjectNode(), 1), 1);
        first.started(finished.id());
        first.finished(finished.id());
        first.reportSpooled(finished.id());

        JobStore second = new JobStore(dir, 10, Duration.ofHours(1), at("2026-01-01T00:01:00Z"));
        List<JobRecord> interrupted = second.takeInterrupted();
        assertThat(interrupted).extracting(JobRecord::jobId).containsExactlyInAnyOrder(running.id(), queued.id());
        assertThat(second.takeInterrupted()).isEmpty();
        JobRecord failed = second.get(running.id());
        assertThat(failed.state()).isEqualTo("failed");
        assertThat(failed.error().code()).isEqualTo("AGENT_RESTARTED");
        assertThat(failed.images().get(0).state()).isEqualTo("scanned");
        assertThat(failed.images().get(1).error().code()).isEqualTo("AGENT_RESTARTED");
        assertThat(failed.context().path("orgId").asText()).isEqualTo("o1");
        assertThat(failed.correlation()).containsEntry("snyk-request-id", "r1");
        assertThat(second.get(finished.id()).state()).isEqualTo("done");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                assertThat(Files.readString(file)).doesNotContain("secret-password").doesNotContain("user");
            }
        }
    }

    @Test
    void finishedJobsExpireAndTheOldestFinishedMakeRoom() {
        JobStore store = new JobStore(dir, 2, Duration.ofMinutes(10), at("2026-01-01T01:00:00Z"));
        ScanJob old = job("a:1");
        store.accept(old);
        store.finished(old.id());
        ScanJob active = job("b:1");
        store.accept(active);
        ScanJob third = job("c:1");
        store.accept(third); // evicts the finished one
        assertThat(store.size()).isEqualTo(2);
        assertThatThrownBy(() -> store.get(old.id())).isInstanceOfSatisfying(AgentException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.JOB_NOT_FOUND));
        assertThatThrownBy(() -> store.accept(job("d:1"))).isInstanceOfSatisfying(AgentException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.QUEUE_FULL));

        store.finished(active.id());
        JobStore later = new JobStore(dir, 2, Duration.ofMinutes(10), at("2026-01-01T01:20:00Z"));
        assertThat(later.expire()).isEqualTo(1); // the finished one; the queued one fails at load, just now
        assertThat(later.size()).isEqualTo(1);
        assertThat(dir.toFile().list()).hasSize(1);
    }
}
