package io.cragent.scan.apps.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.scan.output.DepGraph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * yarn.lock v1: entries keyed {@code name@range}; a dependency {@code name: range} is the entry
 * {@code name@range}, reported as {@code name@<entry version>}. One missing from the lockfile is reported with its
 * range as version (out-of-sync lockfiles are tolerated).
 */
final class YarnLockV1Graph {

    /** {@code lookup} is the {@code name@range} key; {@code entry} null when the lockfile lacks it. */
    private record Node(String lookup, JsonNode entry, DepGraph.Pkg pkg) {
    }

    private final JsonNode entries;
    /** Entry keys of the form {@code alias@npm:target@range}, by alias. */
    private final Map<String, List<String>> npmAliasKeys = new HashMap<>();

    private YarnLockV1Graph(JsonNode entries) {
        this.entries = entries;
        entries.fieldNames().forEachRemaining(key -> {
            int at = key.indexOf("@npm:", 1);
            if (at > 0) {
                npmAliasKeys.computeIfAbsent(key.substring(0, at), k -> new ArrayList<>()).add(key);
            }
        });
    }

    static DepGraph build(PackageManifest manifest, String lockContent) throws LockfileException {
        YarnLockV1Graph lockfile = new YarnLockV1Graph(YarnLockV1Parser.parse(lockContent));
        DepGraph.Pkg root = new DepGraph.Pkg(manifest.nameOrDefault(), manifest.version(), null);
        DepGraph graph = new DepGraph("yarn", null, root);
        List<Node> topLevel = new ArrayList<>();
        manifest.productionDeps(true, false).forEach((name, dep) -> topLevel.add(lockfile.child(name, dep.range())));
        DependencyWalk.walk(graph, root.id(), topLevel, node -> node.lookup, node -> node.pkg,
                lockfile::children);
        return graph;
    }

    private List<Node> children(Node node) {
        List<Node> children = new ArrayList<>();
        if (node.entry != null) {
            addAll(children, node.entry.get("dependencies"));
            addAll(children, node.entry.get("optionalDependencies"));
        }
        return children;
    }

    private void addAll(List<Node> children, JsonNode deps) {
        Json.stringMap(deps).forEach((name, range) -> {
            if (PackageManifest.validName(name)) {
                children.add(child(name, range));
            }
        });
    }

    private Node child(String name, String range) {
        String lookup = name + "@" + range;
        JsonNode entry = entries.get(lookup);
        String aliasTarget = range.startsWith("npm:") ? NpmAlias.target(range) : null;
        if (entry == null || !entry.isObject()) {
            return new Node(lookup, null, new DepGraph.Pkg(aliasTarget == null ? name : aliasTarget, range, null));
        }
        String version = Json.text(entry, "version");
        if (aliasTarget == null) {
            aliasTarget = aliasedElsewhere(name, version);
        }
        return new Node(lookup, entry, new DepGraph.Pkg(aliasTarget == null ? name : aliasTarget, version, null));
    }

    /** The reference also treats {@code name} as an alias when an {@code name@npm:…} entry has the same version. */
    private String aliasedElsewhere(String name, String version) {
        for (String key : npmAliasKeys.getOrDefault(name, List.of())) {
            if (version != null && version.equals(Json.text(entries.get(key), "version"))) {
                String target = NpmAlias.target(key.substring(name.length() + 1));
                return target == null || target.equals(name) ? null : target;
            }
        }
        return null;
    }
}
