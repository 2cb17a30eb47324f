package io.cragent.broker.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Small JSON documents the client writes itself. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** {@code {"k1":"v1","k2":"v2",…}} from alternating names and string values, in order. */
    static String object(String... namesAndValues) {
        ObjectNode node = MAPPER.createObjectNode();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            node.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return node.toString();
    }
}
