package io.cragent.testsupport;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The Snyk side of the broker server (its private origin): records every callback with headers and body and
 * answers {@code 200 {"ok":true}}. {@link #stop()} and {@link #start()} on the same port simulate an outage.
 */
public final class FakeSaas implements AutoCloseable {

    /** One callback as received; header names lower-cased. */
    public record Callback(String method, String path, Map<String, String> headers, String body) {
    }

    private final List<Callback> received = new CopyOnWriteArrayList<>();
    private final int port;
    private HttpServer server;

    public FakeSaas() {
        this.port = FreePorts.next();
        start();
    }

    /** Starts (again) on the same port. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind fake SaaS on 127.0.0.1:" + port, e);
        }
        server.createContext("/", exchange -> {
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Callback(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers, body));
            byte[] answer = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    /** Stops listening: callbacks now fail to connect until {@link #start()}. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    public String origin() {
        return "http://127.0.0.1:" + port;
    }

    public List<Callback> received() {
        return List.copyOf(received);
    }

    public List<Callback> received(String path) {
        return received.stream().filter(c -> c.path().equals(path)).toList();
    }

    /** Waits until {@code count} callbacks match, and returns them; fails with what arrived otherwise. */
    public List<Callback> await(Predicate<Callback> matching, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Callback> matched = new ArrayList<>(received.stream().filter(matching).toList());
            if (matched.size() >= count) {
                return matched;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " matching callbacks within " + timeout + ", got "
                        + matched.size() + "; all received: " + received.stream().map(Callback::path).toList());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
