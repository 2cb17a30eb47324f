package io.cragent.agent.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * A job's state as the job store keeps it on disk and {@code GET /scan/<jobId>} shows it: everything needed to
 * report the job after an agent restart, and no credential.
 *
 * @param state         queued, running, done (every image has an outcome) or failed (the job itself could not finish)
 * @param reportSpooled for a finished job: whether its last callbacks (the done callback among them) are in the
 *                      callback spool; false → a restart reports it again. Null before it finished, and in records
 *                      written before this field existed (those count as reported).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRecord(String jobId, String kind, String state, String platform, List<Image> images,
                        String callbackBase, ObjectNode context, Map<String, String> correlation,
                        String acceptedAt, String startedAt, String finishedAt, Error error, Boolean reportSpooled) {

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String FAILED = "failed";

    /** One image of the job: pending, scanned or failed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Image(String imageName, String state, Integer packages, Integer callbackParts, Error error) {
        public static final String PENDING = "pending";
        public static final String SCANNED = "scanned";
        public static final String FAILED = "failed";
    }

    /** A stable code and our own message. */
    public record Error(String code, String message) {
    }

    public boolean finished() {
        return DONE.equals(state) || FAILED.equals(state);
    }

    /** Finished but its last callbacks not yet known to be spooled. */
    public boolean reportPending() {
        return finished() && Boolean.FALSE.equals(reportSpooled);
    }

    JobRecord withState(String newState, String started, String finished, Error newError, List<Image> newImages) {
        boolean isFinal = DONE.equals(newState) || FAILED.equals(newState);
        return new JobRecord(jobId, kind, newState, platform, newImages, callbackBase, context, correlation,
                acceptedAt, started, finished, newError, isFinal ? Boolean.FALSE : null);
    }

    JobRecord withReportSpooled() {
        return new JobRecord(jobId, kind, state, platform, images, callbackBase, context, correlation,
                acceptedAt, startedAt, finishedAt, error, Boolean.TRUE);
    }
}
