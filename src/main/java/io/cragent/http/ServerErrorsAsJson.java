package io.cragent.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cragent.errors.ErrorCode;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

import java.util.Map;

/**
 * A body over {@code camel.server.max-body-size} fails in the server's body handler before any route runs, and Vert.x
 * would answer it in plain text; this failure handler answers it in the API's JSON error shape instead. What never
 * reaches the platform-http router stays Vert.x's: a path whose percent-encoding cannot be decoded (400 "Bad
 * Request"), and requests the HTTP decoder refuses (header or request line over its limits, a bare CR in a header:
 * 431, 414 or 400 with an empty body, then the connection is closed).
 */
public final class ServerErrorsAsJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServerErrorsAsJson() {
    }

    /** Installs the handler on the platform-http routers once the context has started them. */
    public static void install(CamelContext context) throws Exception {
        context.addStartupListener((started, alreadyStarted) -> {
            for (VertxPlatformHttpRouter router : started.getRegistry().findByType(VertxPlatformHttpRouter.class)) {
                router.route().order(Integer.MIN_VALUE).failureHandler(request -> {
                    if (request.statusCode() == 413) {
                        answer(request, ErrorCode.BODY_TOO_LARGE,
                                "the request body is over the server's limit (camel.server.max-body-size)");
                    } else {
                        request.next();
                    }
                });
            }
        });
    }

    private static void answer(RoutingContext request, ErrorCode code, String message) {
        if (request.response().ended()) {
            return;
        }
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("ok", false, "error", Map.of("code", code.name(), "message", message)));
        } catch (Exception e) {
            body = "{\"ok\":false}";
        }
        request.response().setStatusCode(code.httpStatus()).putHeader("Content-Type", "application/json").end(body);
    }
}
