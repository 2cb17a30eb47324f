package io.cragent.http;

import io.cragent.errors.ErrorCode;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;

/**
 * The answers the HTTP server gives before any route runs, in the process's JSON error shape instead of Vert.x's
 * plain text or empty bodies: a body over {@code camel.server.max-body-size} (413, from the body handler), a path
 * the router cannot decode (400), and
 * requests the HTTP decoder refuses (request line or headers over its limits: 414 and 431; a bare CR, a header line
 * without a colon: 400), which {@link JsonErrorsVertx} routes here. After a decoder failure the connection is closed:
 * where the next request would start is unknown.
 */
public final class ServerErrorsAsJson {
    private ServerErrorsAsJson() {
    }

    /** Installs the 413 and 400 handlers on the servers' routers once the context and its services have started. */
    public static void install(CamelContext context, ErrorBodyShape shape) throws Exception {
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                installOnRouters(started, shape);
            }
        });
    }

    private static void installOnRouters(CamelContext context, ErrorBodyShape shape) {
        for (VertxPlatformHttpRouter router : context.getRegistry().findByType(VertxPlatformHttpRouter.class)) {
            router.route().order(Integer.MIN_VALUE).failureHandler(request -> {
                if (request.statusCode() == 413) {
                    answer(request.response(), shape, ErrorCode.BODY_TOO_LARGE,
                            "the request body is over the server's limit (camel.server.max-body-size)");
                } else {
                    request.next();
                }
            });
        }
        // A path the router cannot match (malformed percent-encoding) fails in the server's own router, in front of
        // the platform-http one.
        VertxPlatformHttpServer server = context.hasService(VertxPlatformHttpServer.class);
        if (server != null && server.getServer() != null
                && server.getServer().requestHandler() instanceof Router serverRouter) {
            serverRouter.errorHandler(400, request -> answer(request.response(), shape, ErrorCode.BAD_REQUEST,
                    "the request path is not valid (malformed percent-encoding)"));
        }
    }

    /** The handler for requests the HTTP decoder could not read. */
    static Handler<HttpServerRequest> invalidRequests(ErrorBodyShape shape) {
        return request -> {
            Throwable cause = request.decoderResult().cause();
            HttpServerResponse response = request.response();
            if (cause instanceof TooLongHttpLineException) {
                answer(response, shape, ErrorCode.REQUEST_LINE_TOO_LONG, "the request line is over the server's limit");
            } else if (cause instanceof TooLongHttpHeaderException) {
                answer(response, shape, ErrorCode.HEADERS_TOO_LARGE, "the request headers are over the server's limit");
            } else {
                answer(response, shape, ErrorCode.MALFORMED_REQUEST,
                        "the request is not valid HTTP (for example a bare CR or a header line without a colon)");
            }
            response.close();
        };
    }

    private static void answer(HttpServerResponse response, ErrorBodyShape shape, ErrorCode code, String message) {
        if (response.ended()) {
            return;
        }
        response.setStatusCode(code.httpStatus()).putHeader("Content-Type", "application/json")
                .putHeader("Connection", "close").end(shape.write(code.name(), message));
    }
}
