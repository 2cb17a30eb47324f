package io.cragent.broker.client;

import java.util.Set;

/**
 * How the answer to a downstream request goes back to the server (broker-protocol.md §3.3). The one place that
 * decides; {@link ResponseSender} carries it out.
 */
public enum ResponseMode {
    /** The request came with an ack id (the SaaS asked for {@code x-broker-ws-response}): one ack (§3.5). */
    ACK,
    /** {@code POST /response-data/<token>/<streamingID>} (§3.4): the server advertised it. */
    POST_STREAM,
    /** Legacy {@code chunk} events over the websocket (§3.6): an older server without post streams. */
    CHUNK_EVENTS,
    /** No ack id and no streamingID: nothing the server could match an answer to. */
    UNANSWERABLE;

    /** What a server advertises in its {@code identify} when it accepts {@link #POST_STREAM}. */
    public static final String POST_STREAMS_CAPABILITY = "receive-post-streams";

    public static ResponseMode of(InboundRequest inbound) {
        return of(inbound.ackId(), inbound.request().streamingId(), inbound.socket().serverCapabilities());
    }

    static ResponseMode of(Integer ackId, String streamingId, Set<String> serverCapabilities) {
        if (ackId != null) {
            return ACK;
        }
        if (streamingId == null || streamingId.isEmpty()) {
            return UNANSWERABLE;
        }
        return serverCapabilities.contains(POST_STREAMS_CAPABILITY) ? POST_STREAM : CHUNK_EVENTS;
    }
}
