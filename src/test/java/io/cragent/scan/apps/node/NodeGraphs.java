package io.cragent.scan.apps.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.scan.apps.AppResult;
import io.cragent.scan.apps.Fact;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Reading our results back in tests. */
final class NodeGraphs {
    private NodeGraphs() {
    }

    static AppResult result(List<AppResult> results, String type, String targetFile) {
        return results.stream().filter(r -> r.type().equals(type) && r.targetFile().equals(targetFile))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type + ":" + targetFile + " in "
                        + results.stream().map(r -> r.type() + ":" + r.targetFile()).toList()));
    }

    static JsonNode fact(AppResult result, String type) {
        return result.facts().stream().filter(f -> f.type().equals(type)).map(Fact::data).findFirst().orElseThrow();
    }

    static String root(AppResult result) {
        return fact(result, "depGraph").path("pkgs").get(0).path("id").asText();
    }

    /** Package ids without the root. */
    static Set<String> packages(AppResult result) {
        Set<String> ids = new TreeSet<>();
        JsonNode pkgs = fact(result, "depGraph").path("pkgs");
        for (int i = 1; i < pkgs.size(); i++) {
            ids.add(pkgs.get(i).path("id").asText());
        }
        return ids;
    }

    /** Edges by package id, the root as {@code root-node}. */
    static Map<String, Set<String>> edges(AppResult result) {
        Map<String, Set<String>> edges = new TreeMap<>();
        for (JsonNode node : fact(result, "depGraph").path("graph").path("nodes")) {
            Set<String> deps = new TreeSet<>();
            node.path("deps").forEach(d -> deps.add(d.path("nodeId").asText()));
            edges.put(node.path("nodeId").asText(), deps);
        }
        return edges;
    }
}
