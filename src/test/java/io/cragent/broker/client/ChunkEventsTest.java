package io.cragent.broker.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cragent.broker.link.FrameCodec;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The response-mode table (broker-protocol.md §3.3) and legacy chunk events (§3.6) as they go on the wire. */
class ChunkEventsTest {
    private final ObjectMapper json = new ObjectMapper();
    private final FrameCodec codec = new FrameCodec();
    /** The frames as the websocket would carry them, parsed back to the emitter's {@code data} arrays. */
    private final List<JsonNode> frames = new ArrayList<>();
    private final ChunkEvents.Emitter wire = (event, args) -> {
        String frame = codec.event(event, List.of(args), null);
        try {
            frames.add(json.readTree(frame.substring(1)).get("data"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return CompletableFuture.completedFuture(null);
    };

    @Test
    void theModeFollowsTheTable() {
        Set<String> post = Set.of(ResponseMode.POST_STREAMS_CAPABILITY);
        assertThat(ResponseMode.of(1, "", post)).isEqualTo(ResponseMode.ACK);
        assertThat(ResponseMode.of(1, "sid", Set.of())).isEqualTo(ResponseMode.ACK);
        assertThat(ResponseMode.of(null, "sid", post)).isEqualTo(ResponseMode.POST_STREAM);
        assertThat(ResponseMode.of(null, "sid", Set.of())).isEqualTo(ResponseMode.CHUNK_EVENTS);
        assertThat(ResponseMode.of(null, "sid", Set.of("something-else"))).isEqualTo(ResponseMode.CHUNK_EVENTS);
        assertThat(ResponseMode.of(null, "", post)).isEqualTo(ResponseMode.UNANSWERABLE);
        assertThat(ResponseMode.of(null, "", Set.of())).isEqualTo(ResponseMode.UNANSWERABLE);
    }

    @Test
    void headThenBinaryChunksThenTheEnd() throws Exception {
        // "é" (c3 a9) straddles the first chunk boundary; binaries do not care where a chunk ends.
        byte[] body = new byte[ChunkEvents.CHUNK + 10];
        java.util.Arrays.fill(body, (byte) 'a');
        body[ChunkEvents.CHUNK - 1] = (byte) 0xc3;
        body[ChunkEvents.CHUNK] = (byte) 0xa9;
        body[5] = (byte) 0xff;
        ClientResponse response = new ClientResponse(200, Map.of("content-type", List.of("text/plain")), null, null);
        new ChunkEvents(Duration.ofSeconds(1)).send(wire, "sid-1", ResponseSender.headObject(response),
                new ByteArrayInputStream(body), "rid");

        assertThat(frames).hasSize(4);
        assertThat(frames.get(0)).isEqualTo(json.readTree(
                "[\"chunk\",\"sid-1\",\"\",false,{\"status\":200,\"headers\":{\"content-type\":\"text/plain\"}}]"));
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (JsonNode chunk : frames.subList(1, 3)) {
            assertThat(chunk.size()).isEqualTo(4);
            assertThat(chunk.get(1).asText()).isEqualTo("sid-1");
            assertThat(chunk.get(2).fieldNames().next()).isEqualTo("$binary");
            assertThat(chunk.get(3).asBoolean()).isFalse();
            joined.write(Base64.getDecoder().decode(chunk.get(2).get("$binary").asText()));
        }
        assertThat(joined.toByteArray()).isEqualTo(body);
        assertThat(frames.get(3)).isEqualTo(json.readTree("[\"chunk\",\"sid-1\",\"\",true]"));
    }

    @Test
    void clientMadeResponsesHaveNoHeaders() throws Exception {
        ClientResponse blocked = ClientResponse.ofJson(401, null, "{\"code\":\"FILTER_BLOCKED\"}");
        new ChunkEvents(Duration.ofSeconds(1)).send(wire, "sid", ResponseSender.headObject(blocked), blocked.body(), "rid");
        assertThat(frames.get(0).get(4)).isEqualTo(json.readTree("{\"status\":401}"));
        assertThat(new String(Base64.getDecoder().decode(frames.get(1).get(2).get("$binary").asText())))
                .isEqualTo("{\"code\":\"FILTER_BLOCKED\"}");
        assertThat(frames.get(2).get(3).asBoolean()).isTrue();
    }

    @Test
    void aBodyFailingMidwayEndsTheStreamWithoutErrorTextAndWith502() throws Exception {
        byte[] first = new byte[1000];
        new Random(1).nextBytes(first);
        InputStream failing = new java.io.SequenceInputStream(new ByteArrayInputStream(first), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("Premature EOF");
            }
        });
        ClientResponse response = new ClientResponse(200, Map.of(), null, null);
        new ChunkEvents(Duration.ofSeconds(1)).send(wire, "sid", ResponseSender.headObject(response), failing, "rid");

        assertThat(frames).hasSize(3);
        assertThat(Base64.getDecoder().decode(frames.get(1).get(2).get("$binary").asText())).isEqualTo(first);
        assertThat(frames.get(2)).isEqualTo(json.readTree(
                "[\"chunk\",\"sid\",\"\",true,{\"status\":502,\"errorType\":\"DOWNSTREAM_ERROR\"}]"));
    }

    @Test
    void aWebsocketThatTakesNoFrameFailsTheSendInsteadOfWaitingForever() {
        ChunkEvents.Emitter stuck = (event, args) -> new CompletableFuture<>();
        ChunkEvents.Emitter closed = (event, args) -> CompletableFuture.failedFuture(new IllegalStateException("no websocket open"));
        ChunkEvents events = new ChunkEvents(Duration.ofMillis(200));
        assertThatThrownBy(() -> events.send(stuck, "sid", json.createObjectNode(), InputStream.nullInputStream(), "rid"))
                .isInstanceOf(IOException.class).hasMessageContaining("within");
        assertThatThrownBy(() -> events.send(closed, "sid", json.createObjectNode(), InputStream.nullInputStream(), "rid"))
                .isInstanceOf(IOException.class).hasMessageContaining("no websocket open");
    }
}
