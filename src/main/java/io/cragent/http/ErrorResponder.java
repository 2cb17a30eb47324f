package io.cragent.http;

import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import io.cragent.logging.Redactor;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the exception that stopped a route into {@code {"ok":false,"error":{"code","message"}}} and its status.
 * Only {@link AgentException} messages are shown: they are ours. Anything else is a bug and says so, without
 * details that might carry request data.
 */
public final class ErrorResponder implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);

    @Override
    public void process(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ErrorCode code;
        String message;
        Map<String, String> headers = new LinkedHashMap<>();
        if (cause instanceof AgentException e) {
            code = e.code();
            message = Redactor.redact(e.getMessage());
            if (e.retryAfter() != null) {
                headers.put("Retry-After", String.valueOf(Math.max(1, e.retryAfter().toSeconds())));
            }
            LOG.info("{} failed: {} {}", exchange.getFromRouteId(), code, message);
        } else {
            code = ErrorCode.INTERNAL_ERROR;
            message = "internal error; see the agent's log";
            LOG.error("{} failed unexpectedly ({})", exchange.getFromRouteId(),
                    cause == null ? "unknown" : cause.getClass().getName(), cause);
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code.name());
        error.put("message", message);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", false);
        body.put("error", error);
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, code.httpStatus());
        exchange.setProperty(JsonResponder.RESPONSE_HEADERS, headers);
    }
}
