package io.cragent.broker.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * What the client asks of the accept-list engine ({@code io.cragent.broker.filter}): the private rules, variable
 * substitution and header preparation for requests from the server (broker-protocol.md §4, §5), the public rules for
 * the agent's callbacks (§6), and the loaded rules themselves.
 */
public interface RequestGate {

    /** A downstream request that passed: where it goes and exactly what is sent there. */
    record Forward(URI target, String method, Map<String, List<String>> headers, byte[] body) {
    }

    /**
     * The private rules, then body and header substitution and the headers of §5.3; null when no rule matches
     * (the caller answers 401 FILTER_BLOCKED).
     */
    Forward downstream(BrokerRequest request);

    /** Whether the public rules allow this callback. */
    boolean allowsUpstream(BrokerRequest request);

    /** The loaded rules, {@code {"public":[…],"private":[…]}}, as sent in identify and shown by GET /filters. */
    JsonNode rules();
}
