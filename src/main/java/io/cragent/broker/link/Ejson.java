package io.cragent.broker.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Meteor's EJSON as Primus' EJSON parser writes it (broker-protocol.md §2.4): byte arrays travel as
 * {@code {"$binary":"<base64>"}}; {@code $date}, {@code $InfNaN} and {@code $escape} are understood; custom
 * {@code $type}/{@code $value} types are refused. In memory binary values are Jackson {@link BinaryNode}s.
 */
public final class Ejson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> RESERVED = Set.of("$binary", "$date", "$escape", "$InfNaN", "$type", "$value");

    private Ejson() {
    }

    /** Plain JSON as received → values with binaries, dates as epoch milliseconds, escapes unwrapped. */
    public static JsonNode decode(JsonNode node) {
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode(node.size());
            node.forEach(item -> out.add(decode(item)));
            return out;
        }
        if (!node.isObject()) {
            return node;
        }
        if (node.size() == 1) {
            Map.Entry<String, JsonNode> only = node.fields().next();
            JsonNode value = only.getValue();
            switch (only.getKey()) {
                case "$binary":
                    if (value.isTextual()) {
                        return BinaryNode.valueOf(Base64.getMimeDecoder().decode(value.asText()));
                    }
                    break;
                case "$date":
                    if (value.isNumber()) {
                        return LongNode.valueOf(value.asLong());
                    }
                    break;
                case "$InfNaN":
                    int sign = value.asInt();
                    return DoubleNode.valueOf(sign > 0 ? Double.POSITIVE_INFINITY
                            : sign < 0 ? Double.NEGATIVE_INFINITY : Double.NaN);
                case "$escape":
                    if (value.isObject()) {
                        ObjectNode out = NODES.objectNode();
                        value.fields().forEachRemaining(e -> out.set(e.getKey(), decode(e.getValue())));
                        return out;
                    }
                    break;
                default:
                    break;
            }
        }
        if (node.has("$type") && node.has("$value") && node.size() == 2) {
            throw new IllegalArgumentException("EJSON custom type '" + node.get("$type").asText() + "' is not supported");
        }
        ObjectNode out = NODES.objectNode();
        node.fields().forEachRemaining(e -> out.set(e.getKey(), decode(e.getValue())));
        return out;
    }

    /** Values with binaries → plain JSON to send; objects that would read as EJSON types are escaped. */
    public static JsonNode encode(JsonNode node) {
        if (node.isBinary()) {
            return NODES.objectNode().put("$binary", Base64.getEncoder().encodeToString(((BinaryNode) node).binaryValue()));
        }
        if (node.isDouble() && (Double.isNaN(node.asDouble()) || Double.isInfinite(node.asDouble()))) {
            double d = node.asDouble();
            return NODES.objectNode().put("$InfNaN", Double.isNaN(d) ? 0 : d > 0 ? 1 : -1);
        }
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode(node.size());
            node.forEach(item -> out.add(encode(item)));
            return out;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode out = NODES.objectNode();
        boolean reserved = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            reserved |= RESERVED.contains(e.getKey());
            out.set(e.getKey(), encode(e.getValue()));
        }
        return reserved ? NODES.objectNode().set("$escape", out) : out;
    }
}
