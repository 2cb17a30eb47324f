package io.cragent.broker.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A response as legacy {@code chunk} events, for servers without {@code receive-post-streams}
 * (broker-protocol.md §3.6): {@code ["chunk", id, "", false, {"status":…,"headers":{…}}]}, the body in
 * {@code ["chunk", id, <bytes>, false]} events, then {@code ["chunk", id, "", true]}.
 *
 * <p>Body chunks are EJSON binaries ({@code {"$binary":"<base64>"}}), not strings. The server decodes them to a
 * {@code Uint8Array} and writes it unchanged into the caller's response; that is also what snyk's client sends
 * (node's response {@code Buffer}s). A string chunk would be re-encoded as UTF-8 by the server, so it could not
 * carry binary bodies, and a multi-byte character cut at a chunk boundary would have to be avoided. With binaries
 * any body arrives byte for byte and chunks may end anywhere.
 *
 * <p>The events carry no way to abort. If the agent's body fails midway, the stream is ended (truncated, no
 * error text added) and the final event says {@code {"status":502,"errorType":"DOWNSTREAM_ERROR"}}: the server
 * applies that status only while nothing of the body has reached the caller; after that the caller sees a short
 * body (detectable when the agent sent a {@code content-length}). Snyk's client appends the error message to the
 * body instead, which disguises it as data and can overrun the length the agent declared.
 */
final class ChunkEvents {
    private static final Logger LOG = LoggerFactory.getLogger(ChunkEvents.class);
    static final String EVENT = "chunk";
    /** Body bytes per event: 87 KiB of base64, well under the server's 22 MB message limit. */
    static final int CHUNK = 64 * 1024;

    /** Emits one event without ack; completes when the websocket has taken the frame. */
    @FunctionalInterface
    interface Emitter {
        CompletableFuture<?> emit(String event, JsonNode... args);
    }

    private final Duration sendTimeout;

    ChunkEvents(Duration sendTimeout) {
        this.sendTimeout = sendTimeout;
    }

    /** Sends head, body and end, each event after the previous one left (the websocket sets the pace). */
    void send(Emitter socket, String streamingId, ObjectNode head, InputStream body, String requestId)
            throws IOException, InterruptedException {
        TextNode id = TextNode.valueOf(streamingId);
        TextNode none = TextNode.valueOf("");
        emit(socket, id, none, BooleanNode.FALSE, head);
        byte[] buffer = new byte[CHUNK];
        long relayed = 0;
        while (true) {
            int n;
            try {
                n = body.read(buffer);
            } catch (IOException e) {
                LOG.error("the agent's body of request {} failed after {} bytes ({}); chunk mode cannot abort, so the"
                        + " response ends short", requestId, relayed, e.getClass().getSimpleName());
                ObjectNode failed = Json.MAPPER.createObjectNode().put("status", 502).put("errorType", "DOWNSTREAM_ERROR");
                emit(socket, id, none, BooleanNode.TRUE, failed);
                return;
            }
            if (n < 0) {
                break;
            }
            if (n > 0) {
                emit(socket, id, BinaryNode.valueOf(Arrays.copyOf(buffer, n)), BooleanNode.FALSE);
                relayed += n;
            }
        }
        emit(socket, id, none, BooleanNode.TRUE);
    }

    private void emit(Emitter socket, JsonNode... args) throws IOException, InterruptedException {
        try {
            socket.emit(EVENT, args).get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("cannot send a chunk event: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the websocket took no chunk event within " + sendTimeout, e);
        }
    }
}
