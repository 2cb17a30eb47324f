package io.cragent.broker.link;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Set;

/**
 * Text frames of the broker websocket: engine.io v4 packets whose messages carry one EJSON value, which is either a
 * Primus control string or a primus-emitter packet (broker-protocol.md §2.2–2.5). Stateless; the socket keeps the
 * ack counter.
 */
public final class FrameCodec {
    private static final String PRIMUS = "primus::";
    private static final String PONG = "primus::pong::";
    /** Primus' own events, never delivered to the application. */
    private static final Set<String> RESERVED_EVENTS = Set.of("open", "data", "end", "error", "close", "reconnect",
            "reconnect scheduled", "reconnected", "reconnect failed", "reconnect timeout", "timeout", "online",
            "offline", "readyStateChange", "outgoing::open", "incoming::open");

    private final ObjectMapper json = new ObjectMapper();

    public Frame decode(String text) {
        if (text.isEmpty()) {
            return new Frame.Ignored("empty frame");
        }
        char type = text.charAt(0);
        String payload = text.substring(1);
        try {
            return switch (type) {
                case '0' -> open(json.readTree(payload));
                case '1' -> new Frame.Close();
                case '2' -> new Frame.Ping();
                case '4' -> message(json.readTree(payload));
                default -> new Frame.Ignored("engine.io packet type " + type);
            };
        } catch (JsonProcessingException e) {
            return new Frame.Ignored("malformed JSON in a packet of type " + type);
        } catch (IllegalArgumentException e) {
            return new Frame.Ignored(e.getMessage());
        }
    }

    private static Frame open(JsonNode handshake) {
        return new Frame.Open(handshake.path("sid").asText(), handshake.path("pingInterval").asLong(25_000),
                handshake.path("pingTimeout").asLong(20_000), handshake.path("maxPayload").asLong(22_020_096));
    }

    private static Frame message(JsonNode value) {
        if (value.isTextual()) {
            String s = value.asText();
            if (s.startsWith(PONG)) {
                try {
                    return new Frame.PrimusPong(Long.parseLong(s.substring(PONG.length())));
                } catch (NumberFormatException e) {
                    return new Frame.Ignored("pong without a number");
                }
            }
            if (s.equals("primus::server::close")) {
                return new Frame.ServerClose();
            }
            return new Frame.Ignored(s.startsWith(PRIMUS) ? "primus traffic" : "plain string message");
        }
        JsonNode data = value.path("data");
        JsonNode id = value.get("id");
        if (!data.isArray() || (id != null && !id.isNumber())) {
            return new Frame.Ignored("not an emitter packet");
        }
        ArrayNode decoded = (ArrayNode) Ejson.decode(data);
        int packetType = value.path("type").asInt(-1);
        if (packetType == 1 && id != null) {
            return new Frame.Ack(id.asInt(), decoded);
        }
        if (packetType != 0 || decoded.isEmpty() || !decoded.get(0).isTextual()) {
            return new Frame.Ignored("not an emitter event");
        }
        String name = decoded.get(0).asText();
        if (RESERVED_EVENTS.contains(name)) {
            return new Frame.Ignored("reserved event " + name);
        }
        decoded.remove(0);
        return new Frame.Event(name, decoded, id == null ? null : id.asInt());
    }

    /** {@code 4{"type":0,"data":[name,args…]}}, with {@code "id"} when an ack is expected. */
    public String event(String name, List<JsonNode> args, Integer ackId) {
        ObjectNode packet = json.createObjectNode().put("type", 0);
        ArrayNode data = packet.putArray("data").add(name);
        args.forEach(arg -> data.add(Ejson.encode(arg)));
        if (ackId != null) {
            packet.put("id", ackId);
        }
        return "4" + packet;
    }

    /** {@code 4{"id":N,"type":1,"data":[reply]}}. */
    public String ack(int id, JsonNode reply) {
        ObjectNode packet = json.createObjectNode().put("id", id).put("type", 1);
        packet.putArray("data").add(Ejson.encode(reply));
        return "4" + packet;
    }

    /** engine.io pong, the answer to every ping. */
    public String pong() {
        return "3";
    }

    /** The Primus 6 heartbeat: the client pings. */
    public String primusPing(long epochMillis) {
        return "4\"primus::ping::" + epochMillis + "\"";
    }

    /** engine.io close, sent on a clean shutdown. */
    public String close() {
        return "1";
    }
}
