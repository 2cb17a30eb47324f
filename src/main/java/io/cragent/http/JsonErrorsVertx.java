package io.cragent.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.impl.VertxWrapper;

/**
 * The Vert.x instance platform-http runs on (Camel looks a {@link Vertx} up in the registry before making its own).
 * Requests the HTTP decoder refuses never reach a router, and Vert.x fixes their handler when a server starts
 * listening; Camel creates and starts its server in one step. So this instance hands every HTTP server it creates
 * the JSON handler of {@link ServerErrorsAsJson}. Bound with {@code destroyMethod = "close"}: Camel does not close a
 * Vert.x instance it did not make.
 */
public final class JsonErrorsVertx extends VertxWrapper {
    private final ErrorBodyShape shape;

    public JsonErrorsVertx(ErrorBodyShape shape) {
        super((VertxInternal) Vertx.vertx());
        this.shape = shape;
    }

    @Override
    public HttpServer createHttpServer(HttpServerOptions options) {
        return super.createHttpServer(options).invalidRequestHandler(ServerErrorsAsJson.invalidRequests(shape));
    }

    @Override
    public HttpServer createHttpServer() {
        return createHttpServer(new HttpServerOptions());
    }
}
