package io.cragent.agent.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The jobs of this agent: their state in memory and, so that a restart can report them, one small JSON file per
 * job in a directory ({@code <jobId>.job.json}), with each scanned image's result beside it
 * ({@code <jobId>.<n>.result.json}) for {@code GET /scan/<jobId>}. Bounded in count: the oldest finished jobs are
 * dropped first; finished jobs also expire after a time to live. Holds no credential.
 */
public final class JobStore {
    private static final Logger LOG = LoggerFactory.getLogger(JobStore.class);
    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final String JOB_SUFFIX = ".job.json";

    private final ObjectMapper json = new ObjectMapper();
    private final Path directory;
    private final int maxJobs;
    private final Duration timeToLive;
    private final Clock clock;
    private final Map<String, JobRecord> jobs = new LinkedHashMap<>();
    private final List<JobRecord> interrupted = new ArrayList<>();

    public JobStore(Path directory, int maxJobs, Duration timeToLive, Clock clock) {
        this.directory = directory;
        this.maxJobs = maxJobs;
        this.timeToLive = timeToLive;
        this.clock = clock;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the job directory " + directory, e);
        }
        load();
    }

    /** Records an accepted job as queued. */
    public synchronized JobRecord accept(ScanJob job) {
        evictBeyondCapacity();
        List<JobRecord.Image> images = job.images().stream()
                .map(name -> new JobRecord.Image(name, JobRecord.Image.PENDING, null, null, null)).toList();
        JobRecord record = new JobRecord(job.id(), job.kind().id(), JobRecord.QUEUED, job.platform(), images,
                job.callbackBase(), job.context(), job.correlation(), job.acceptedAt().toString(), null, null, null, null);
        return save(record);
    }

    /** The queue refused the job: it never existed. */
    public synchronized void forget(String jobId) {
        jobs.remove(jobId);
        deleteFiles(jobId);
    }

    public synchronized JobRecord started(String jobId) {
        JobRecord job = require(jobId);
        return save(job.withState(JobRecord.RUNNING, now(), null, null, job.images()));
    }

    /** One image has its outcome; a scanned image's result is kept for {@code GET /scan/<jobId>}. */
    public synchronized JobRecord imageFinished(String jobId, ImageOutcome outcome, int callbackParts) {
        JobRecord job = require(jobId);
        List<JobRecord.Image> images = new ArrayList<>(job.images());
        int index = indexOf(job, outcome.imageName());
        if (outcome.ok()) {
            write(directory.resolve(jobId + "." + index + ".result.json"), outcome.result());
            images.set(index, new JobRecord.Image(outcome.imageName(), JobRecord.Image.SCANNED, outcome.packages(),
                    callbackParts, null));
        } else {
            images.set(index, new JobRecord.Image(outcome.imageName(), JobRecord.Image.FAILED, null, callbackParts,
                    new JobRecord.Error(outcome.errorCode().name(), outcome.errorMessage())));
        }
        return save(job.withState(job.state(), job.startedAt(), null, null, images));
    }

    /** Every image has an outcome (one that somehow has none is marked failed, never left pending). */
    public synchronized JobRecord finished(String jobId) {
        JobRecord job = require(jobId);
        JobRecord.Error unreported = new JobRecord.Error(ErrorCode.INTERNAL_ERROR.name(), "the image was not scanned");
        List<JobRecord.Image> images = job.images().stream()
                .map(i -> i.state().equals(JobRecord.Image.PENDING)
                        ? new JobRecord.Image(i.imageName(), JobRecord.Image.FAILED, null, null, unreported) : i)
                .toList();
        return save(job.withState(JobRecord.DONE, job.startedAt(), now(), null, images));
    }

    /** The job could not finish: it and every image without an outcome fail with this error. */
    public synchronized JobRecord failed(String jobId, ErrorCode code, String message) {
        JobRecord job = require(jobId);
        JobRecord.Error error = new JobRecord.Error(code.name(), message);
        List<JobRecord.Image> images = job.images().stream()
                .map(i -> i.state().equals(JobRecord.Image.PENDING)
                        ? new JobRecord.Image(i.imageName(), JobRecord.Image.FAILED, null, null, error) : i)
                .toList();
        return save(job.withState(JobRecord.FAILED, job.startedAt(), now(), error, images));
    }

    /** A finished job's last callbacks are in the spool: a restart will not report it again. */
    public synchronized void reportSpooled(String jobId) {
        JobRecord job = jobs.get(jobId);
        if (job != null && job.reportPending()) {
            save(job.withReportSpooled());
        }
    }

    /** The jobs a previous run left unfinished or unreported (see {@link #load()}), once: the caller reports them. */
    public synchronized List<JobRecord> takeInterrupted() {
        List<JobRecord> taken = List.copyOf(interrupted);
        interrupted.clear();
        return taken;
    }

    public synchronized JobRecord get(String jobId) {
        JobRecord job = jobId == null ? null : jobs.get(jobId);
        if (job == null) {
            throw new AgentException(ErrorCode.JOB_NOT_FOUND, "no such job (unknown, or expired)");
        }
        return job;
    }

    /** {@code GET /scan/<jobId>}: the record and, once done, each scanned image's result. */
    public Map<String, Object> status(String jobId) {
        JobRecord job = get(jobId);
        Map<String, Object> answer = json.convertValue(job, json.getTypeFactory()
                .constructMapType(LinkedHashMap.class, String.class, Object.class));
        answer.remove("callbackBase");
        answer.remove("reportSpooled");
        if (job.finished()) {
            List<Map<String, Object>> results = new ArrayList<>();
            for (int i = 0; i < job.images().size(); i++) {
                Path file = directory.resolve(jobId + "." + i + ".result.json");
                if (Files.isRegularFile(file)) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("imageName", job.images().get(i).imageName());
                    entry.put("result", read(file, ObjectNode.class));
                    results.add(entry);
                }
            }
            answer.put("results", results);
        }
        return answer;
    }

    /** Drops finished jobs older than the time to live; returns how many. */
    public synchronized int expire() {
        Instant limit = clock.instant().minus(timeToLive);
        List<String> expired = jobs.values().stream()
                .filter(j -> j.finished() && Instant.parse(j.finishedAt()).isBefore(limit))
                .map(JobRecord::jobId).toList();
        expired.forEach(this::forget);
        return expired.size();
    }

    /** Jobs accepted and not yet started: the depth of the scan-jobs queue, whatever endpoint carries it. */
    public synchronized int queued() {
        return (int) jobs.values().stream().filter(j -> JobRecord.QUEUED.equals(j.state())).count();
    }

    public synchronized int size() {
        return jobs.size();
    }

    private void evictBeyondCapacity() {
        while (jobs.size() >= maxJobs) {
            JobRecord oldest = jobs.values().stream().filter(JobRecord::finished)
                    .min(Comparator.comparing(JobRecord::finishedAt)).orElse(null);
            if (oldest == null) {
                throw new AgentException(ErrorCode.QUEUE_FULL, "the agent holds " + maxJobs
                        + " unfinished jobs; try again later", Duration.ofSeconds(30), null);
            }
            forget(oldest.jobId());
        }
    }

    private JobRecord require(String jobId) {
        JobRecord job = jobs.get(jobId);
        if (job == null) {
            throw new IllegalStateException("job " + jobId + " is not in the store");
        }
        return job;
    }

    private static int indexOf(JobRecord job, String imageName) {
        for (int i = 0; i < job.images().size(); i++) {
            if (job.images().get(i).imageName().equals(imageName)) {
                return i;
            }
        }
        throw new IllegalStateException("image not in job " + job.jobId());
    }

    private JobRecord save(JobRecord record) {
        write(directory.resolve(record.jobId() + JOB_SUFFIX), record);
        jobs.put(record.jobId(), record);
        return record;
    }

    /** Reads the jobs of earlier runs; those left unfinished fail with {@link ErrorCode#AGENT_RESTARTED}. */
    private void load() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + JOB_SUFFIX)) {
            List<JobRecord> loaded = new ArrayList<>();
            for (Path file : files) {
                String id = file.getFileName().toString().replace(JOB_SUFFIX, "");
                try {
                    if (JOB_ID.matcher(id).matches()) {
                        loaded.add(read(file, JobRecord.class));
                    }
                } catch (UncheckedIOException e) {
                    LOG.warn("ignoring unreadable job file {}", file.getFileName());
                }
            }
            loaded.sort(Comparator.comparing(JobRecord::acceptedAt));
            loaded.forEach(job -> jobs.put(job.jobId(), job));
            // Their credentials were only in the previous run's memory, so these jobs cannot resume: they fail,
            // before this run accepts any job of its own. A job stored finished whose last callbacks may not have
            // reached the spool (a kill in between) is reported again: at least once, under the same delivery ids.
            for (JobRecord job : loaded) {
                if (!job.finished()) {
                    interrupted.add(failed(job.jobId(), ErrorCode.AGENT_RESTARTED,
                            "the agent stopped before the job finished; send the request again"));
                } else if (job.reportPending()) {
                    interrupted.add(job);
                }
            }
            if (!interrupted.isEmpty()) {
                LOG.warn("{} job(s) were unfinished or unreported when the agent last stopped; reporting them",
                        interrupted.size());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the job directory " + directory, e);
        }
    }

    private void deleteFiles(String jobId) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, jobId + ".*")) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warn("cannot delete the files of job {}: {}", jobId, e.toString());
        }
    }

    /** Written to a temporary file and renamed, so that a crash never leaves half a file. */
    private void write(Path file, Object value) {
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            json.writeValue(temp.toFile(), value);
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file.getFileName(), e);
        }
    }

    private <T> T read(Path file, Class<T> type) {
        try {
            return json.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.getFileName(), e);
        }
    }

    private String now() {
        return clock.instant().toString();
    }
}
