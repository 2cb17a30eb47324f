package io.cragent.errors;

import java.time.Duration;

/**
 * A failure with a stable code and a message that is safe to show: messages are written by our code only, never
 * copied from a registry body or a credential.
 */
public class AgentException extends RuntimeException {
    private final ErrorCode code;
    private final Duration retryAfter;

    public AgentException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    public AgentException(ErrorCode code, String message, Throwable cause) {
        this(code, message, null, cause);
    }

    public AgentException(ErrorCode code, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public static AgentException badRequest(String message) {
        return new AgentException(ErrorCode.BAD_REQUEST, message);
    }

    public ErrorCode code() {
        return code;
    }

    /** How long the caller should wait before trying again, when the registry said so. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
