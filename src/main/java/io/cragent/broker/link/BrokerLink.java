package io.cragent.broker.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;

/**
 * The client's two websockets to the broker server, primary and secondary (broker-protocol.md §2.1): both carry
 * the server's requests; our own requests go over the primary while it is open, else the secondary.
 */
public final class BrokerLink implements AutoCloseable {
    public static final List<String> ROLES = List.of("primary", "secondary");

    private final LinkSettings settings;
    private final ScheduledExecutorService timer;
    private final List<BrokerSocket> sockets;

    public BrokerLink(LinkSettings settings, HttpClient http, ObjectNode identifyMetadata,
                      BiConsumer<BrokerSocket, Frame.Event> events, Runnable onExhausted) {
        this.settings = settings;
        this.timer = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "broker-link-timer");
            t.setDaemon(true);
            return t;
        });
        FrameCodec codec = new FrameCodec();
        this.sockets = ROLES.stream().map(role -> new BrokerSocket(role, settings, http, codec, timer,
                identifyMetadata, events, onExhausted)).toList();
    }

    public void start() {
        sockets.forEach(BrokerSocket::start);
    }

    public List<BrokerSocket> sockets() {
        return sockets;
    }

    /** Reconnections of both websockets since start (metrics). */
    public long reconnects() {
        return sockets.stream().mapToLong(BrokerSocket::reconnects).sum();
    }

    public boolean anyOpen() {
        return sockets.stream().anyMatch(BrokerSocket::isOpen);
    }

    /** The primary if open, else the secondary if open, else null. */
    public BrokerSocket upstreamSocket() {
        return sockets.stream().filter(BrokerSocket::isOpen).findFirst().orElse(null);
    }

    /** Emits a {@code request} with an ack over {@link #upstreamSocket()}; fails at once if none is open. */
    public CompletableFuture<ArrayNode> request(JsonNode payload) {
        BrokerSocket socket = upstreamSocket();
        if (socket == null) {
            return CompletableFuture.failedFuture(new NoOpenSocketException());
        }
        return socket.emitWithAck("request", payload, settings.ackTimeout());
    }

    public LinkSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        sockets.forEach(BrokerSocket::stop);
        timer.shutdownNow();
    }

    /** Neither websocket is open. */
    public static final class NoOpenSocketException extends IllegalStateException {
        public NoOpenSocketException() {
            super("no websocket to the broker server is open");
        }
    }
}
