package io.cragent.scan.apps;

import com.fasterxml.jackson.databind.JsonNode;

/** One {@code facts[]} entry of a scan result: {@code {"type": …, "data": …}}. */
public record Fact(String type, JsonNode data) {
}
