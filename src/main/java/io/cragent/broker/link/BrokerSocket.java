package io.cragent.broker.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cragent.http.ProxyRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * One websocket of the client (role {@code primary} or {@code secondary}) to the broker server: engine.io
 * handshake and pongs, Primus 6 heartbeats, the identify event, emitter events and acks, and reconnection with
 * backoff (broker-protocol.md §2). Events from the server go to {@code events}, which must not block.
 */
public final class BrokerSocket {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerSocket.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String role;
    private final LinkSettings settings;
    private final HttpClient http;
    private final FrameCodec codec;
    private final ScheduledExecutorService timer;
    private final ObjectNode identifyMetadata;
    private final BiConsumer<BrokerSocket, Frame.Event> events;
    private final Runnable onExhausted;

    private final AtomicInteger ackIds = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final Map<Integer, CompletableFuture<ArrayNode>> pendingAcks = new ConcurrentHashMap<>();

    private volatile WebSocket webSocket;
    private volatile boolean open;
    private volatile boolean stopped;
    private volatile boolean failed;
    private volatile boolean errorNotified;
    private volatile Set<String> serverCapabilities = Set.of();
    private volatile long maxPayload = 22_020_096;
    private volatile long lastPingMillis;
    private volatile long lastPongMillis;
    private volatile long livenessMillis = 45_000;
    private int attempt;
    private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);
    private ScheduledFuture<?> heartbeat;
    private ScheduledFuture<?> pongDeadline;
    private ScheduledFuture<?> reconnect;
    private final java.util.concurrent.atomic.LongAdder reconnects = new java.util.concurrent.atomic.LongAdder();

    public BrokerSocket(String role, LinkSettings settings, HttpClient http, FrameCodec codec,
                        ScheduledExecutorService timer, ObjectNode identifyMetadata,
                        BiConsumer<BrokerSocket, Frame.Event> events, Runnable onExhausted) {
        this.role = role;
        this.settings = settings;
        this.http = http;
        this.codec = codec;
        this.timer = timer;
        this.identifyMetadata = identifyMetadata;
        this.events = events;
        this.onExhausted = onExhausted;
    }

    public String role() {
        return role;
    }

    /** Open and identified enough to carry requests (the server is sent our identify right after open). */
    public boolean isOpen() {
        return open;
    }

    /** Gave up: retries exhausted, or the server refused us with an error notification. */
    public boolean isFailed() {
        return failed;
    }

    /** How many times this socket has completed the engine.io handshake. */
    public int connections() {
        return connections.get();
    }

    public Set<String> serverCapabilities() {
        return serverCapabilities;
    }

    public synchronized void start() {
        stopped = false;
        connect();
    }

    /** Clean shutdown: an engine.io close, then the websocket close; pending acks fail. */
    public synchronized void stop() {
        stopped = true;
        cancelTimers();
        WebSocket ws = webSocket;
        if (ws != null) {
            try {
                send(codec.close()).handle((r, e) -> null)
                        .thenCompose(x -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "client shutdown"))
                        .get(1, TimeUnit.SECONDS);
            } catch (Exception notClean) {
                LOG.debug("the websocket did not close cleanly ({})", role);
            }
            ws.abort();
            webSocket = null;
        }
        failPending(new IllegalStateException("the broker client is shutting down"));
        open = false;
    }

    /** Emits an event without an ack; completes when the frame is handed to the websocket (or fails). */
    public CompletableFuture<?> emit(String event, JsonNode... args) {
        return send(codec.event(event, List.of(args), null));
    }

    /** Emits an event and completes with the ack's data when it arrives, or fails after {@code timeout}. */
    public CompletableFuture<ArrayNode> emitWithAck(String event, JsonNode arg, Duration timeout) {
        int id = ackIds.incrementAndGet();
        CompletableFuture<ArrayNode> answer = new CompletableFuture<>();
        pendingAcks.put(id, answer);
        answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> pendingAcks.remove(id));
        send(codec.event(event, List.of(arg), id)).exceptionally(e -> {
            answer.completeExceptionally(e);
            return null;
        });
        return answer;
    }

    /** Answers an ack-expecting event of the server. */
    public CompletableFuture<?> ack(int id, JsonNode reply) {
        return send(codec.ack(id, reply));
    }

    private synchronized void connect() {
        if (stopped) {
            return;
        }
        String requestId = UUID.randomUUID().toString();
        LOG.info("connecting to the broker server ({}, attempt {})", role, attempt + 1);
        URI target = settings.websocketUri(role);
        WebSocket.Builder builder = http.newWebSocketBuilder()
                .connectTimeout(settings.connectTimeout())
                .header("x-snyk-broker-client-id", settings.clientId())
                .header("x-snyk-broker-client-role", role)
                .header("x-broker-client-version", settings.version())
                .header("snyk-request-id", requestId);
        // The JDK puts it on the CONNECT to the proxy only (io.cragent.http.ProxyTunnels), never on the upgrade.
        ProxyRules.authorization(settings.proxies(), target).ifPresent(value -> builder.header("Proxy-Authorization", value));
        builder.buildAsync(target, new Listener())
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        LOG.warn("cannot connect to the broker server ({}): {}", role, failure(error, target));
                        scheduleReconnect();
                    }
                });
    }

    private synchronized CompletableFuture<?> send(String frame) {
        WebSocket ws = webSocket;
        if (ws == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no websocket open (" + role + ")"));
        }
        if (frame.length() > maxPayload) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "frame of " + frame.length() + " characters exceeds the server's maxPayload " + maxPayload));
        }
        // JDK websockets allow one outstanding send: chain them.
        CompletableFuture<?> next = sendChain.handle((r, e) -> null).thenCompose(x -> ws.sendText(frame, true));
        sendChain = next;
        return next;
    }

    private void onFrame(WebSocket ws, Frame frame) {
        if (frame instanceof Frame.Open handshake) {
            onOpen(handshake);
        } else if (frame instanceof Frame.Ping) {
            lastPingMillis = System.currentTimeMillis();
            send(codec.pong());
        } else if (frame instanceof Frame.PrimusPong) {
            lastPongMillis = System.currentTimeMillis();
        } else if (frame instanceof Frame.Event event) {
            onEvent(event);
        } else if (frame instanceof Frame.Ack ack) {
            CompletableFuture<ArrayNode> waiting = pendingAcks.remove(ack.id());
            if (waiting != null) {
                waiting.complete(ack.data());
            }
        } else if (frame instanceof Frame.ServerClose) {
            LOG.warn("the broker server closed the connection ({})", role);
            if (errorNotified) {
                failed = true;
                stopped = true;
            }
            drop(ws);
        } else if (frame instanceof Frame.Close) {
            drop(ws);
        } else if (frame instanceof Frame.Ignored ignored) {
            LOG.debug("ignored a frame ({}): {}", role, ignored.why());
        }
    }

    /** Ends this websocket now; the usual reconnect follows unless stopped. */
    private void drop(WebSocket ws) {
        ws.abort();
        onClosed(ws);
    }

    private synchronized void onOpen(Frame.Open handshake) {
        attempt = 0;
        connections.incrementAndGet();
        maxPayload = handshake.maxPayload();
        livenessMillis = handshake.pingIntervalMillis() + handshake.pingTimeoutMillis();
        lastPingMillis = System.currentTimeMillis();
        open = true;
        failed = false;
        errorNotified = false;
        ObjectNode metadata = identifyMetadata.deepCopy().put("clientId", settings.clientId()).put("role", role);
        ObjectNode identify = NODES.objectNode().put("token", settings.token());
        identify.set("metadata", metadata);
        emit("identify", identify);
        long every = settings.heartbeatInterval().toMillis();
        heartbeat = timer.scheduleAtFixedRate(this::beat, every, every, TimeUnit.MILLISECONDS);
        LOG.info("connected to the broker server ({})", role);
    }

    private void onEvent(Frame.Event event) {
        switch (event.name()) {
            case "identify" -> {
                JsonNode capabilities = event.arg(0).path("capabilities");
                Set<String> names = new java.util.HashSet<>();
                capabilities.forEach(c -> names.add(c.asText()));
                serverCapabilities = Set.copyOf(names);
            }
            case "notification" -> {
                JsonNode note = event.arg(0);
                boolean error = "error".equals(note.path("level").asText());
                errorNotified |= error;
                (error ? LOG.atError() : LOG.atWarn()).log("broker server notification ({}): {}", role,
                        note.path("message").asText());
            }
            default -> events.accept(this, event);
        }
    }

    /** Primus 6 heartbeat, and the engine.io liveness check. */
    private synchronized void beat() {
        if (!open) {
            return;
        }
        if (System.currentTimeMillis() - lastPingMillis > livenessMillis) {
            LOG.warn("no engine.io ping from the broker server for {} ms ({}); reconnecting", livenessMillis, role);
            drop(webSocket);
            return;
        }
        // The deadline is set before the ping leaves: a pong may arrive before send() returns.
        long sentAt = System.currentTimeMillis();
        WebSocket ws = webSocket;
        cancel(pongDeadline);
        pongDeadline = timer.schedule(() -> {
            if (lastPongMillis < sentAt && ws == webSocket) {
                LOG.warn("no primus pong within {} ({}); reconnecting", settings.pongTimeout(), role);
                drop(ws);
            }
        }, settings.pongTimeout().toMillis(), TimeUnit.MILLISECONDS);
        send(codec.primusPing(sentAt));
    }

    private synchronized void onClosed(WebSocket ws) {
        if (ws != webSocket) {
            return;
        }
        open = false;
        webSocket = null;
        cancelTimers();
        failPending(new IllegalStateException("the broker server connection closed (" + role + ")"));
        if (!stopped) {
            scheduleReconnect();
        }
    }

    /** Reconnections scheduled since start (metrics). */
    public long reconnects() {
        return reconnects.sum();
    }

    private synchronized void scheduleReconnect() {
        if (stopped) {
            return;
        }
        if (settings.backoff().exhausted(attempt)) {
            failed = true;
            LOG.error("gave up reconnecting to the broker server after {} retries ({})", attempt, role);
            onExhausted.run();
            return;
        }
        Duration delay = settings.backoff().delay(attempt++, ThreadLocalRandom.current()::nextDouble);
        LOG.info("reconnecting to the broker server in {} ms ({})", delay.toMillis(), role);
        reconnects.increment();
        reconnect = timer.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void failPending(Throwable why) {
        pendingAcks.values().forEach(f -> f.completeExceptionally(why));
        pendingAcks.clear();
    }

    private void cancelTimers() {
        cancel(heartbeat);
        cancel(pongDeadline);
        cancel(reconnect);
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    private String failure(Throwable error, URI target) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof WebSocketHandshakeException handshake && handshake.getResponse().statusCode() == 407) {
            return ProxyRules.refusal(settings.proxies(), target);
        }
        return rootMessage(error);
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof TimeoutException ? "timed out" : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** One per connection attempt, so a message cut off by a dropped connection never leaks into the next. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket ws) {
            synchronized (BrokerSocket.this) {
                webSocket = ws;
                sendChain = CompletableFuture.completedFuture(null);
                if (stopped) {
                    ws.abort();
                    webSocket = null;
                }
            }
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    onFrame(ws, codec.decode(text));
                } catch (RuntimeException e) {
                    LOG.error("failed to handle a frame from the broker server ({})", role, e);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            LOG.info("the broker server closed the websocket ({}, {})", role, statusCode);
            onClosed(ws);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            LOG.warn("broker websocket failed ({}): {}", role, rootMessage(error));
            onClosed(ws);
        }
    }
}
