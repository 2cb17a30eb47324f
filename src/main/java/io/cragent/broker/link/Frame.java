package io.cragent.broker.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/** One inbound websocket text frame, decoded through engine.io, Primus and primus-emitter (broker-protocol.md §2). */
public sealed interface Frame {
    /** engine.io {@code 0}: the handshake, with the server's timing and size limits. */
    record Open(String sid, long pingIntervalMillis, long pingTimeoutMillis, long maxPayload) implements Frame {
    }

    /** engine.io {@code 2}: answer with a pong. */
    record Ping() implements Frame {
    }

    /** engine.io {@code 1}. */
    record Close() implements Frame {
    }

    /** {@code "primus::pong::<n>"}, the answer to our heartbeat. */
    record PrimusPong(long sentAt) implements Frame {
    }

    /** {@code "primus::server::close"}: the server ended the spark on purpose. */
    record ServerClose() implements Frame {
    }

    /** An emitter event; {@code ackId} is null when the sender expects no ack. Arguments are EJSON-decoded. */
    record Event(String name, ArrayNode args, Integer ackId) implements Frame {
        public JsonNode arg(int index) {
            return args.path(index);
        }
    }

    /** The answer to one of our ack-expecting events. */
    record Ack(int id, ArrayNode data) implements Frame {
    }

    /** Anything else: upgrade, noop, other Primus traffic, malformed packets. */
    record Ignored(String why) implements Frame {
    }
}
