package io.cragent.agent.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cragent.credentials.RegistryCredentials;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An accepted {@code /scan} or {@code /discover} request, as it travels on the queue. The credentials live only
 * here, in memory: they are never written to the job store or the callback spool.
 *
 * @param callbackBase scheme, host, port and optional path prefix the callback paths are appended to; null when
 *                     neither the request nor {@code BROKER_CLIENT_URL} names one (results then only by
 *                     {@code GET /scan/<jobId>})
 * @param context      the request's other fields, echoed in every callback
 * @param correlation  correlation headers of the request (such as {@code snyk-request-id}), echoed on callbacks
 */
public record ScanJob(String id, JobKind kind, List<String> images, String platform, String callbackBase,
                      ObjectNode context, Map<String, String> correlation, RegistryCredentials credentials,
                      Instant acceptedAt) {

    /** The exchange property holding it between the request reader and the queue. */
    public static final String PROPERTY = "scanJob";

    @Override
    public String toString() {
        return "ScanJob[" + id + ", " + kind.id() + ", " + images.size() + " image(s), " + credentials + "]";
    }
}
