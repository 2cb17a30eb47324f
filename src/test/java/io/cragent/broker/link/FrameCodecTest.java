package io.cragent.broker.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** engine.io, Primus and primus-emitter frames as the snyk-broker server writes and reads them (broker-protocol.md §2). */
class FrameCodecTest {
    private final FrameCodec codec = new FrameCodec();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void readsTheEngineIoHandshake() {
        Frame frame = codec.decode("0{\"sid\":\"abc\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,"
                + "\"maxPayload\":22020096}");
        assertThat(frame).isEqualTo(new Frame.Open("abc", 25000, 20000, 22020096));
    }

    @Test
    void pingsCloseAndUnknownPacketTypes() {
        assertThat(codec.decode("2")).isInstanceOf(Frame.Ping.class);
        assertThat(codec.decode("1")).isInstanceOf(Frame.Close.class);
        assertThat(codec.decode("6")).isInstanceOf(Frame.Ignored.class);
        assertThat(codec.decode("")).isInstanceOf(Frame.Ignored.class);
        assertThat(codec.decode("4{not json")).isInstanceOf(Frame.Ignored.class);
        assertThat(codec.pong()).isEqualTo("3");
    }

    @Test
    void primusHeartbeatIsAJsonStringBothWays() {
        assertThat(codec.primusPing(1700000000123L)).isEqualTo("4\"primus::ping::1700000000123\"");
        assertThat(codec.decode("4\"primus::pong::1700000000123\"")).isEqualTo(new Frame.PrimusPong(1700000000123L));
        assertThat(codec.decode("4\"primus::server::close\"")).isInstanceOf(Frame.ServerClose.class);
        assertThat(codec.decode("4\"primus::id::\"")).isInstanceOf(Frame.Ignored.class);
    }

    @Test
    void decodesARequestEventWithABinaryBody() throws Exception {
        Frame frame = codec.decode("4{\"type\":0,\"data\":[\"request\",{\"url\":\"/scan\",\"method\":\"POST\","
                + "\"body\":{\"$binary\":\"eyJhIjoxfQ==\"},\"streamingID\":\"s\"}]}");
        assertThat(frame).isInstanceOf(Frame.Event.class);
        Frame.Event event = (Frame.Event) frame;
        assertThat(event.name()).isEqualTo("request");
        assertThat(event.ackId()).isNull();
        assertThat(new String(event.arg(0).get("body").binaryValue(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    }

    @Test
    void eventsWithAnIdExpectAnAckAndAcksCarryTheirId() {
        Frame.Event event = (Frame.Event) codec.decode("4{\"type\":0,\"data\":[\"request\",{}],\"id\":7}");
        assertThat(event.ackId()).isEqualTo(7);
        Frame.Ack ack = (Frame.Ack) codec.decode("4{\"id\":3,\"type\":1,\"data\":[{\"status\":200}]}");
        assertThat(ack.id()).isEqualTo(3);
        assertThat(ack.data().get(0).get("status").asInt()).isEqualTo(200);
    }

    @Test
    void malformedEmitterPacketsAndReservedEventsAreIgnored() {
        assertThat(codec.decode("4{\"type\":0,\"data\":\"x\"}")).isInstanceOf(Frame.Ignored.class);
        assertThat(codec.decode("4{\"type\":0,\"data\":[\"x\"],\"id\":\"7\"}")).isInstanceOf(Frame.Ignored.class);
        assertThat(codec.decode("4{\"type\":0,\"data\":[\"end\"]}")).isInstanceOf(Frame.Ignored.class);
        assertThat(codec.decode("4{\"type\":0,\"data\":[]}")).isInstanceOf(Frame.Ignored.class);
    }

    @Test
    void encodesEventsAndAcksAsTheEmitterDoes() throws Exception {
        ObjectNode payload = json.createObjectNode().put("url", "/api/v2/import/done");
        payload.set("body", BinaryNode.valueOf("{}".getBytes(StandardCharsets.UTF_8)));
        String frame = codec.event("request", List.of(payload), 5);
        assertThat(frame).startsWith("4");
        JsonNode packet = json.readTree(frame.substring(1));
        assertThat(packet.get("type").asInt()).isZero();
        assertThat(packet.get("id").asInt()).isEqualTo(5);
        assertThat(packet.get("data").get(0).asText()).isEqualTo("request");
        assertThat(packet.get("data").get(1).get("body").get("$binary").asText()).isEqualTo("e30=");
        assertThat(codec.event("identify", List.of(json.createObjectNode()), null)).doesNotContain("\"id\"");

        assertThat(json.readTree(codec.ack(9, json.createObjectNode().put("status", 200)).substring(1)))
                .isEqualTo(json.readTree("{\"id\":9,\"type\":1,\"data\":[{\"status\":200}]}"));
    }

    @Test
    void ejsonTypesDecodeAndEscapesRoundTrip() throws Exception {
        JsonNode decoded = Ejson.decode(json.readTree(
                "{\"d\":{\"$date\":5},\"inf\":{\"$InfNaN\":-1},\"e\":{\"$escape\":{\"$binary\":\"not base64 here\"}}}"));
        assertThat(decoded.get("d").asLong()).isEqualTo(5);
        assertThat(decoded.get("inf").asDouble()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(decoded.get("e").get("$binary").asText()).isEqualTo("not base64 here");

        JsonNode object = json.readTree("{\"$binary\":\"x\",\"y\":1}");
        JsonNode encoded = Ejson.encode(object);
        assertThat(encoded.has("$escape")).isTrue();
        assertThat(Ejson.decode(encoded)).isEqualTo(object);

        assertThatThrownBy(() -> Ejson.decode(json.readTree("{\"$type\":\"oid\",\"$value\":\"1\"}")))
                .hasMessageContaining("custom type");
        assertThat(codec.decode("4{\"type\":0,\"data\":[\"request\",{\"$type\":\"t\",\"$value\":1}]}"))
                .isInstanceOf(Frame.Ignored.class);
    }
}
