package io.cragent.broker.client;

/**
 * The agent could not be asked or did not answer in time: snyk's code and status (broker-protocol.md §3.7). The
 * message is ours or the transport's, never a body or a credential.
 */
public final class DownstreamFailure extends RuntimeException {
    private final String code;
    private final int status;

    public DownstreamFailure(String code, int status, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.status = status;
    }

    public static DownstreamFailure unreachable(String message, Throwable cause) {
        return new DownstreamFailure("DOWNSTREAM_UNREACHABLE", 502, message, cause);
    }

    public static DownstreamFailure timeout(String message, Throwable cause) {
        return new DownstreamFailure("DOWNSTREAM_TIMEOUT", 504, message, cause);
    }

    public static DownstreamFailure error(String message, Throwable cause) {
        return new DownstreamFailure("DOWNSTREAM_ERROR", 502, message, cause);
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }
}
