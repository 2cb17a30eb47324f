package io.cragent.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Producer-neutral views of a PluginResponse (scanning.md §8), for comparing our scanner with the reference
 * per {@code (identity.type, targetFile)} (§12 point 6).
 *
 * <p>Results are keyed {@code "<identity.type>:<identity.targetFile or 'os'>"}, e.g. {@code "deb:os"},
 * {@code "npm:/app/package.json"}, {@code "maven:/app"}, in the order of {@code scanResults}. Should two results
 * share a key, the later ones get {@code " #2"}, {@code " #3"} … appended so none is lost.
 *
 * <p>Package ids: for a result with a {@code depGraph} fact, the {@code pkgs[].id} set minus the root package
 * ({@code graph.nodes[rootNodeId].pkgId}). A maven result has no graph; its ids are one per
 * {@code jarFingerprints} fingerprint (see {@link #fingerprintId(JsonNode)}).
 */
public final class ScanResults {

    private ScanResults() {
    }

    /** {@code "<identity.type>:<identity.targetFile or 'os'>"}. */
    public static String key(JsonNode scanResult) {
        JsonNode identity = scanResult.path("identity");
        JsonNode targetFile = identity.path("targetFile");
        return identity.path("type").asText() + ":"
                + (targetFile.isTextual() && !targetFile.asText().isEmpty() ? targetFile.asText() : "os");
    }

    /** The scan results by {@link #key}, in response order. */
    public static Map<String, JsonNode> byTarget(JsonNode pluginResponse) {
        Map<String, JsonNode> results = new LinkedHashMap<>();
        for (JsonNode result : pluginResponse.path("scanResults")) {
            String key = key(result);
            String unique = key;
            for (int n = 2; results.containsKey(unique); n++) {
                unique = key + " #" + n;
            }
            results.put(unique, result);
        }
        return results;
    }

    /** One scan result by key; throws listing the keys present when it is absent. */
    public static JsonNode result(JsonNode pluginResponse, String key) {
        Map<String, JsonNode> results = byTarget(pluginResponse);
        JsonNode result = results.get(key);
        if (result == null) {
            throw new AssertionError("no scan result " + key + "; present: " + results.keySet());
        }
        return result;
    }

    /** The data of the first fact of this type, or null. */
    public static JsonNode fact(JsonNode scanResult, String type) {
        for (JsonNode fact : scanResult.path("facts")) {
            if (type.equals(fact.path("type").asText())) {
                return fact.path("data");
            }
        }
        return null;
    }

    /** Package ids per target (root excluded; fingerprint ids for maven). Sets are sorted. */
    public static Map<String, Set<String>> packagesByTarget(JsonNode pluginResponse) {
        return perTarget(pluginResponse, ScanResults::packageIds);
    }

    /** Package ids of one scan result, sorted: depGraph ids minus the root, else fingerprint ids, else empty. */
    public static Set<String> packageIds(JsonNode scanResult) {
        Set<String> ids = new TreeSet<>();
        JsonNode graph = fact(scanResult, "depGraph");
        if (graph != null) {
            String root = rootPkgId(graph);
            for (JsonNode pkg : graph.path("pkgs")) {
                String id = pkg.path("id").asText();
                if (!id.equals(root)) {
                    ids.add(id);
                }
            }
            return ids;
        }
        JsonNode jars = fact(scanResult, "jarFingerprints");
        if (jars != null) {
            for (JsonNode fingerprint : jars.path("fingerprints")) {
                ids.add(fingerprintId(fingerprint));
            }
        }
        return ids;
    }

    /**
     * A jar fingerprint as one string: {@code <location>}, then {@code |<groupId>:<artifactId>@<version>} when
     * coordinates are present, then {@code |sha1:<digest>} when the digest is not null; e.g.
     * {@code /app/activation-1.1.1.jar|sha1:485de3a2…} or
     * {@code /libs/audience-annotations-0.5.0.jar|org.apache.yetus:audience-annotations@0.5.0}.
     * Nested {@code dependencies} are not part of it (see {@link #jarDependencies}).
     */
    public static String fingerprintId(JsonNode fingerprint) {
        StringBuilder id = new StringBuilder(fingerprint.path("location").asText());
        if (fingerprint.hasNonNull("artifactId")) {
            id.append('|').append(fingerprint.path("groupId").asText()).append(':')
                    .append(fingerprint.path("artifactId").asText()).append('@')
                    .append(fingerprint.path("version").asText());
        }
        if (fingerprint.hasNonNull("digest")) {
            id.append("|sha1:").append(fingerprint.path("digest").asText());
        }
        return id.toString();
    }

    /** Per maven target: {@code <location>|<groupId>:<artifactId>@<version>} of each fingerprint's dependencies. */
    public static Map<String, Set<String>> jarDependencies(JsonNode pluginResponse) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        byTarget(pluginResponse).forEach((key, result) -> {
            JsonNode jars = fact(result, "jarFingerprints");
            if (jars == null) {
                return;
            }
            Set<String> deps = new TreeSet<>();
            for (JsonNode fingerprint : jars.path("fingerprints")) {
                for (JsonNode dep : fingerprint.path("dependencies")) {
                    deps.add(fingerprint.path("location").asText() + "|" + dep.path("groupId").asText() + ":"
                            + dep.path("artifactId").asText() + "@" + dep.path("version").asText());
                }
            }
            out.put(key, deps);
        });
        return out;
    }

    /** Package count per target, e.g. {@code {"linux:os":0, "maven:/app":1, "maven:/libs":2}}. */
    public static Map<String, Integer> packageCounts(JsonNode pluginResponse) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        packagesByTarget(pluginResponse).forEach((key, ids) -> counts.put(key, ids.size()));
        return counts;
    }

    /**
     * The fixtures README notation: {@code "type:target=count"} per result, space separated, in response order,
     * e.g. {@code "linux:os=0 maven:/app=1 maven:/libs=2"}.
     */
    public static String summary(JsonNode pluginResponse) {
        List<String> parts = new ArrayList<>();
        packageCounts(pluginResponse).forEach((key, count) -> parts.add(key + "=" + count));
        return String.join(" ", parts);
    }

    /** Per target: package id → purl, for the non-root packages that carry one (sorted by id). */
    public static Map<String, Map<String, String>> purls(JsonNode pluginResponse) {
        return perTarget(pluginResponse, ScanResults::purlsOf);
    }

    /** Package id → purl of one scan result (root excluded, packages without purl omitted). */
    public static Map<String, String> purlsOf(JsonNode scanResult) {
        Map<String, String> purls = new TreeMap<>();
        JsonNode graph = fact(scanResult, "depGraph");
        if (graph == null) {
            return purls;
        }
        String root = rootPkgId(graph);
        for (JsonNode pkg : graph.path("pkgs")) {
            JsonNode purl = pkg.path("info").path("purl");
            String id = pkg.path("id").asText();
            if (!id.equals(root) && purl.isTextual()) {
                purls.put(id, purl.asText());
            }
        }
        return purls;
    }

    /** Fact types per target, in fact order (the order is part of the format, §8.1). */
    public static Map<String, List<String>> factTypes(JsonNode pluginResponse) {
        return perTarget(pluginResponse, result -> {
            List<String> types = new ArrayList<>();
            result.path("facts").forEach(fact -> types.add(fact.path("type").asText()));
            return types;
        });
    }

    /**
     * The OS alias {@code depGraph.pkgManager.repositories[0].alias} (e.g. {@code debian:10}, {@code alpine:3.12.0},
     * {@code unknown:0.0}). Accepts a PluginResponse (uses {@code scanResults[0]}, the OS result), a scan result or
     * a depGraph; null when absent.
     */
    public static String os(JsonNode node) {
        JsonNode graph = node;
        if (node.has("scanResults")) {
            graph = fact(node.path("scanResults").path(0), "depGraph");
        } else if (node.has("facts")) {
            graph = fact(node, "depGraph");
        }
        if (graph == null) {
            return null;
        }
        JsonNode alias = graph.path("pkgManager").path("repositories").path(0).path("alias");
        return alias.isTextual() ? alias.asText() : null;
    }

    /** {@code pkgs[].id} of the depGraph root ({@code graph.nodes[rootNodeId].pkgId}), or null. */
    public static String rootPkgId(JsonNode depGraph) {
        String rootNodeId = depGraph.path("graph").path("rootNodeId").asText("root-node");
        for (JsonNode node : depGraph.path("graph").path("nodes")) {
            if (rootNodeId.equals(node.path("nodeId").asText())) {
                return node.path("pkgId").asText();
            }
        }
        return null;
    }

    /** The reference's per-phase timings ({@code analytics[name=containerPluginTimings].data}), empty when absent. */
    public static Map<String, Long> pluginTimingsMs(JsonNode pluginResponse) {
        Map<String, Long> timings = new LinkedHashMap<>();
        for (JsonNode entry : pluginResponse.path("analytics")) {
            if ("containerPluginTimings".equals(entry.path("name").asText())) {
                entry.path("data").fields().forEachRemaining(f -> timings.put(f.getKey(), f.getValue().asLong()));
            }
        }
        return timings;
    }

    /** Human-readable differences of package sets per target between two responses; empty when equal. */
    public static List<String> packageDifferences(JsonNode expected, JsonNode actual) {
        Map<String, Set<String>> want = packagesByTarget(expected);
        Map<String, Set<String>> got = packagesByTarget(actual);
        List<String> diffs = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>(want.keySet());
        keys.addAll(got.keySet());
        for (String key : keys) {
            Set<String> w = want.get(key);
            Set<String> g = got.get(key);
            if (w == null || g == null) {
                diffs.add(key + ": only in " + (w == null ? "actual" : "expected"));
                continue;
            }
            Set<String> missing = new TreeSet<>(w);
            missing.removeAll(g);
            Set<String> extra = new TreeSet<>(g);
            extra.removeAll(w);
            if (!missing.isEmpty()) {
                diffs.add(key + ": missing " + missing);
            }
            if (!extra.isEmpty()) {
                diffs.add(key + ": extra " + extra);
            }
        }
        return diffs;
    }

    private static <T> Map<String, T> perTarget(JsonNode pluginResponse, Function<JsonNode, T> view) {
        Map<String, T> out = new LinkedHashMap<>();
        byTarget(pluginResponse).forEach((key, result) -> out.put(key, view.apply(result)));
        return out;
    }
}
