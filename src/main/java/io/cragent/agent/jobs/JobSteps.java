package io.cragent.agent.jobs;

import io.cragent.agent.AgentRequest;
import io.cragent.agent.AgentRequestReader;
import io.cragent.agent.callbacks.Callback;
import io.cragent.agent.callbacks.CallbackParts;
import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import io.cragent.registry.manifest.Platform;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps of the job routes ({@code ScanJobRoutes}), each a method the routes call by name: they move a job
 * through the {@link JobStore} and turn outcomes into callbacks; the routes say in which order.
 */
public final class JobSteps {
    /** Exchange property of the worker: the outcome of the image being reported. */
    public static final String OUTCOME = "imageOutcome";
    /** The ids of the jobs reported again at start. */
    static final String RECOVERED = "recoveredJobIds";
    private static final Logger LOG = LoggerFactory.getLogger(JobSteps.class);
    private static final String SCAN_IMAGE = "scan-image";

    private final JobStore store;
    private final CallbackParts parts;
    private final Duration queueFullRetryAfter;

    public JobSteps(JobStore store, CallbackParts parts, Duration queueFullRetryAfter) {
        this.store = store;
        this.parts = parts;
        this.queueFullRetryAfter = queueFullRetryAfter;
    }

    /** Ingress: records the validated job as queued; the body becomes the job, the only thing that is queued. */
    public void accept(Exchange exchange) {
        ScanJob job = exchange.getProperty(ScanJob.PROPERTY, ScanJob.class);
        store.accept(job);
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setBody(job);
    }

    /** Ingress: the queue refused the job, so it is forgotten and the caller told to come back. */
    public void queueFull(@ExchangeProperty(ScanJob.PROPERTY) ScanJob job) {
        store.forget(job.id());
        throw new AgentException(ErrorCode.QUEUE_FULL, "the scan queue is full; try again later",
                queueFullRetryAfter, null);
    }

    /** Ingress: {@code 202 {"jobId":…}}. */
    public Map<String, Object> accepted(@ExchangeProperty(ScanJob.PROPERTY) ScanJob job, Exchange exchange) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("jobId", job.id());
        answer.put("state", JobRecord.QUEUED);
        answer.put("images", job.images().size());
        return answer;
    }

    public Map<String, Object> status(@Header("jobId") String jobId) {
        return store.status(jobId);
    }

    /** Worker: the job leaves the queue. */
    public void started(@Body ScanJob job, Exchange exchange) {
        exchange.setProperty(ScanJob.PROPERTY, job);
        store.started(job.id());
        LOG.info("job {} started: {} image(s)", job.id(), job.images().size());
    }

    public List<String> images(@ExchangeProperty(ScanJob.PROPERTY) ScanJob job) {
        return job.images();
    }

    /** The image as a {@code scan-image} request to the route set of the credential's registry type. */
    public void imageRequest(@ExchangeProperty(ScanJob.PROPERTY) ScanJob job, @Body String imageName,
                             Exchange exchange) {
        exchange.setProperty(AgentRequestReader.OPERATION, SCAN_IMAGE);
        exchange.setProperty(AgentRequestReader.REGISTRY_TYPE, job.credentials().type().id());
        exchange.setProperty(AgentRequest.PROPERTY, new AgentRequest(SCAN_IMAGE, job.credentials(), imageName,
                Platform.parse(job.platform()), 0, null));
    }

    /**
     * Collects what the route set of the image's type gave, called on a copy of the exchange (an enrich) so that
     * an error the type's own steps raised, and the route set's error handling answered, does not end the job:
     * the scan's outcome, or that error (an ECR role that cannot be assumed) as the image's outcome.
     */
    public static final class OutcomeOf implements org.apache.camel.AggregationStrategy {
        @Override
        public Exchange aggregate(Exchange job, Exchange typeRoute) {
            AgentRequest request = job.getProperty(AgentRequest.PROPERTY, AgentRequest.class);
            Object body = typeRoute.getMessage().getBody();
            Throwable cause = typeRoute.getException() != null ? typeRoute.getException()
                    : typeRoute.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            ImageOutcome outcome = body instanceof ImageOutcome scanned ? scanned
                    : cause instanceof AgentException e ? ImageOutcome.failed(request.target(), e.code(), e.getMessage())
                    : ImageOutcome.failed(request.target(), ErrorCode.INTERNAL_ERROR, "internal error; see the agent's log");
            job.getMessage().setBody(outcome);
            return job;
        }
    }

    /** The callbacks reporting the image whose outcome is in {@link #OUTCOME}. */
    public List<Callback> imageCallbacks(@ExchangeProperty(ScanJob.PROPERTY) ScanJob job,
                                         @ExchangeProperty(OUTCOME) ImageOutcome outcome) {
        return parts.forImage(store.get(job.id()), outcome);
    }

    /** After the image's callbacks are in the spool: a restart will not report it again. */
    public void imageReported(@ExchangeProperty(ScanJob.PROPERTY) ScanJob job,
                              @ExchangeProperty(OUTCOME) ImageOutcome outcome, @Body List<?> callbacks) {
        store.imageFinished(job.id(), outcome, callbacks.size());
    }

    /** Every image has an outcome: the job is done; its summary callback follows. */
    public List<Callback> finished(@ExchangeProperty(ScanJob.PROPERTY) ScanJob job) {
        JobRecord record = store.finished(job.id());
        LOG.info("job {} done", job.id());
        return parts.done(record);
    }

    /** Worker error handling: the job fails as a whole; what it had not reported is reported now. */
    public List<Callback> jobFailed(@ExchangeProperty(ScanJob.PROPERTY) ScanJob job, Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        LOG.error("job {} failed ({})", job == null ? "?" : job.id(), cause == null ? "?" : cause.getClass().getName(), cause);
        if (job == null) {
            return List.of();
        }
        return parts.forUnreported(store.failed(job.id(), ErrorCode.INTERNAL_ERROR, "the job failed inside the agent"));
    }

    /** At start: the callbacks reporting jobs a previous run left unfinished or unreported. */
    public List<Callback> interrupted(Exchange exchange) {
        List<Callback> callbacks = new ArrayList<>();
        List<String> jobIds = new ArrayList<>();
        for (JobRecord job : store.takeInterrupted()) {
            callbacks.addAll(parts.forUnreported(job));
            jobIds.add(job.jobId());
        }
        exchange.setProperty(RECOVERED, jobIds);
        return callbacks;
    }

    /** After a finished job's last callbacks (its done callback among them) are in the spool. */
    public void reportSpooled(@ExchangeProperty(ScanJob.PROPERTY) ScanJob job) {
        if (job != null) {
            store.reportSpooled(job.id());
        }
    }

    /** After the callbacks of the jobs reported at start are in the spool. */
    public void recoveredReported(@ExchangeProperty(RECOVERED) List<String> jobIds) {
        jobIds.forEach(store::reportSpooled);
    }
}
