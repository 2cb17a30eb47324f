package io.cragent.errors;

/**
 * Every failure the agent reports, with the HTTP status its API answers. The names are stable: they appear in API
 * errors and callback bodies, so the SaaS side can tell a bad credential from an outage.
 */
public enum ErrorCode {
    BAD_REQUEST(400),
    /** A request the HTTP decoder cannot read (a bare CR, a header line without a colon). */
    MALFORMED_REQUEST(400),
    INVALID_CREDENTIALS(400),
    INVALID_NAME(400),
    REGISTRY_NOT_ALLOWED(400),
    UNTRUSTED_REALM(400),
    UNTRUSTED_REDIRECT(400),
    /** A callbackUrl outside the allowed origins (BROKER_CLIENT_URL, CR_AGENT_CALLBACK_HOSTS). */
    CALLBACK_NOT_ALLOWED(400),
    AUTH_FAILED(401),
    ACCESS_DENIED(403),
    NOT_FOUND(404),
    JOB_NOT_FOUND(404),
    REPOSITORY_NOT_FOUND(404),
    IMAGE_NOT_FOUND(404),
    BLOB_NOT_FOUND(404),
    PLATFORM_NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    /** A request body over {@code camel.server.max-body-size}. */
    BODY_TOO_LARGE(413),
    IMAGE_TOO_LARGE(413),
    /** A request line over the HTTP server's limit. */
    REQUEST_LINE_TOO_LONG(414),
    NOT_AN_IMAGE(422),
    MANIFEST_INVALID(422),
    RATE_LIMITED(429),
    /** Request headers over the HTTP server's limit. */
    HEADERS_TOO_LARGE(431),
    UNSUPPORTED(501),
    REGISTRY_UNAVAILABLE(502),
    INTEGRITY_ERROR(502),
    TLS_ERROR(502),
    INTERNAL_ERROR(500),
    /** The scan queue is full; the answer carries Retry-After. */
    QUEUE_FULL(503),
    /** A job the agent was running or holding when it stopped; its credentials were never stored, so it cannot resume. */
    AGENT_RESTARTED(503);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
