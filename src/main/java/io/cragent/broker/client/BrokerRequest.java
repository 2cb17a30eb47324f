package io.cragent.broker.client;

import java.util.List;
import java.util.Map;

/**
 * A request as it travels over the websocket (broker-protocol.md §3.1, §6): {@code url} is the raw path and query,
 * header names are lower case and each has one or more values, {@code body} is null when none was sent.
 */
public record BrokerRequest(String method, String url, Map<String, List<String>> headers, byte[] body,
                            String streamingId, String requestId) {

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
