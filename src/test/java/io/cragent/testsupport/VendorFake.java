package io.cragent.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A small HTTPS fake of a vendor's REST API (Harbor, Docker Hub, Quay, …) on 127.0.0.1, with a certificate of the
 * {@link TestPki} the agent is told to trust. Tests register a handler per exact raw path (its query apart); other
 * paths answer 404, as an API that is not there. {@link #setAbsent} makes every path 404, like a host without
 * that vendor's API. Requests are recorded without their credentials.
 */
public final class VendorFake implements AutoCloseable {

    /** One request as a handler sees it, credentials decoded so that the handler can check them. */
    public record Request(String method, String rawPath, String pathAndQuery, Map<String, String> headers, String body) {
        public String query(String name) {
            return RecordedRequest.queryParams(pathAndQuery, name).stream().findFirst().orElse(null);
        }

        /** Every decoded value of a query parameter, in order (e.g. each {@code scope}). */
        public List<String> queries(String name) {
            return RecordedRequest.queryParams(pathAndQuery, name);
        }

        /** Every decoded value of a field of an {@code application/x-www-form-urlencoded} body. */
        public List<String> form(String name) {
            return RecordedRequest.queryParams("?" + body, name);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        /** {@code user:password} of a Basic header, or null. */
        public String basic() {
            String value = header("Authorization");
            return value != null && value.regionMatches(true, 0, "Basic ", 0, 6)
                    ? new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8) : null;
        }

        /** The token of a Bearer header, or null. */
        public String bearer() {
            String value = header("Authorization");
            return value != null && value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).trim() : null;
        }
    }

    /** What a handler answers. */
    public record Reply(int status, Map<String, String> headers, String body) {
        public static Reply json(String body) {
            return new Reply(200, Map.of(), body);
        }

        public static Reply status(int status) {
            return new Reply(status, Map.of(), "{\"message\":\"status " + status + "\"}");
        }

        public Reply withHeader(String name, String value) {
            Map<String, String> copy = new LinkedHashMap<>(headers);
            copy.put(name, value);
            return new Reply(status, copy, body);
        }
    }

    private final HttpsServer server;
    private final ExecutorService executor;
    private final Map<String, Function<Request, Reply>> handlers = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private volatile boolean absent;
    private volatile DistributionRegistry upstream;

    private VendorFake(TestPki pki) throws IOException {
        server = HttpsServer.create(FreePorts.loopbackAnyPort(), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(pki.serverSslContext()));
        executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "vendor-fake");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static VendorFake start() {
        return start(TestPki.shared());
    }

    /** Serving the server certificate of {@code pki}. */
    public static VendorFake start(TestPki pki) {
        try {
            return new VendorFake(pki);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start vendor fake", e);
        }
    }

    /** Answers requests to exactly this raw (still percent-encoded) path, whatever the query. */
    public VendorFake on(String rawPath, Function<Request, Reply> handler) {
        handlers.put(rawPath, handler);
        return this;
    }

    /**
     * Forwards every path without a handler to the real registry, as a vendor's repository in front of stored
     * images does (a Nexus group, an Artifactory path): the fake then only replaces what the vendor does its way.
     */
    public VendorFake proxyTo(DistributionRegistry registry) {
        upstream = registry;
        return this;
    }

    public void setAbsent(boolean on) {
        absent = on;
    }

    /** {@code https://127.0.0.1:<port>}. */
    public String baseUrl() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The recorded requests to one decoded path. */
    public List<RecordedRequest> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    public void clearRequests() {
        requests.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void forward(HttpExchange exchange, Request request) throws IOException {
        java.net.http.HttpRequest.Builder call = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(upstream.baseUrl() + forwardedPath(request.pathAndQuery())))
                .method(request.method(), java.net.http.HttpRequest.BodyPublishers.noBody());
        for (String name : List.of("Authorization", "Accept", "Range")) {
            if (request.header(name) != null) {
                call.header(name, request.header(name));
            }
        }
        java.net.http.HttpResponse<byte[]> answer;
        try {
            answer = upstream.httpClient().send(call.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        answer.headers().map().forEach((name, values) -> {
            if (!List.of("content-length", "transfer-encoding", "date", "connection", ":status").contains(name.toLowerCase())) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        boolean head = request.method().equals("HEAD");
        answer.headers().firstValue("Content-Length").filter(v -> head)
                .ifPresent(length -> exchange.getResponseHeaders().set("Content-Length", length));
        byte[] body = answer.body();
        exchange.sendResponseHeaders(answer.statusCode(), head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    /** The path at the registry: a prefix the vendor puts in front of the v2 API is not the registry's. */
    private String forwardedPath(String pathAndQuery) {
        int v2 = pathAndQuery.indexOf("/v2/");
        return v2 > 0 ? pathAndQuery.substring(v2) : pathAndQuery;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.add(RecordedRequest.of(exchange));
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
            String rawPath = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            Request request = new Request(exchange.getRequestMethod(), rawPath,
                    rawPath + (query == null ? "" : "?" + query), headers,
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            Function<Request, Reply> handler = absent ? null : handlers.get(rawPath);
            if (handler == null && !absent && upstream != null) {
                forward(exchange, request);
                return;
            }
            Reply reply;
            try {
                reply = handler == null ? Reply.status(404) : handler.apply(request);
            } catch (RuntimeException e) {
                reply = new Reply(500, Map.of(), "{\"message\":\"" + e.getClass().getSimpleName() + "\"}");
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        }
    }
}
