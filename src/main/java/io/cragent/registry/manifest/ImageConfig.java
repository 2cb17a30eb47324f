package io.cragent.registry.manifest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parts of an image config blob that the agent reports. */
public record ImageConfig(Platform platform, String created, Map<String, String> labels, List<String> diffIds,
                          JsonNode raw) {

    public static ImageConfig parse(byte[] bytes) {
        JsonNode node = ManifestParser.readObject(bytes, "image config");
        JsonNode config = node.path("config");
        Map<String, String> labels = new LinkedHashMap<>();
        config.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        List<String> diffIds = new ArrayList<>();
        node.path("rootfs").path("diff_ids").forEach(d -> diffIds.add(d.asText()));
        Platform platform = new Platform(node.path("os").asText(""), node.path("architecture").asText(""),
                node.path("variant").asText(null));
        return new ImageConfig(platform, node.path("created").asText(null), Map.copyOf(labels), List.copyOf(diffIds), node);
    }
}
