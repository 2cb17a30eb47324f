package io.cragent.scan.apps.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.scan.output.DepGraph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * package-lock.json v1 (npm 5–6): nested {@code dependencies} whose {@code requires} resolve like Node's
 * {@code require}, from the requiring entry's position upwards.
 */
final class NpmLockV1Graph {
    private static final String DELIMITER = "|";

    /** An entry at a nesting path ({@code a|b}), or a dependency the lockfile lacks ({@code path} null). */
    private record Node(String path, String name, String version) {
    }

    private record Entry(String name, String version, List<String> requires) {
    }

    private final Map<String, Entry> entries = new HashMap<>();

    private NpmLockV1Graph() {
    }

    static DepGraph build(PackageManifest manifest, JsonNode lock) throws LockfileException {
        DepGraph.Pkg root = new DepGraph.Pkg(manifest.nameOrDefault(), manifest.version(), null);
        DepGraph graph = new DepGraph("npm", null, root);
        // The reference stops here when package.json has no "dependencies", even with optional ones.
        if (manifest.dependencies().isEmpty()) {
            return graph;
        }
        NpmLockV1Graph lockfile = new NpmLockV1Graph();
        lockfile.flatten(lock.get("dependencies"), "");
        List<Node> topLevel = new ArrayList<>();
        lockfile.topLevelDeps(manifest, lock).forEach((name, range) -> topLevel.add(
                lockfile.entries.containsKey(name) ? lockfile.node(name) : new Node(null, name, range)));
        DependencyWalk.walk(graph, root.id(), topLevel,
                node -> node.path == null ? "\0" + node.name + "@" + node.version : node.path,
                node -> new DepGraph.Pkg(node.name, node.version, null), lockfile::children);
        return graph;
    }

    /**
     * {@code dependencies} then {@code optionalDependencies}; npm 7 lockfiles (any version but 1) add the peer
     * dependencies not marked optional. Dev dependencies are left out.
     */
    private Map<String, String> topLevelDeps(PackageManifest manifest, JsonNode lock) {
        Map<String, String> deps = new LinkedHashMap<>(manifest.dependencies());
        deps.putAll(manifest.optionalDependencies());
        JsonNode version = lock.get("lockfileVersion");
        boolean npm7 = version == null || !version.isNumber() || version.asInt() != 1;
        if (npm7) {
            JsonNode meta = manifest.raw().path("peerDependenciesMeta");
            manifest.peerDependencies().forEach((name, range) -> {
                if (!meta.path(name).path("optional").asBoolean(false)) {
                    deps.put(name, range);
                }
            });
        }
        return deps;
    }

    private void flatten(JsonNode dependencies, String parentPath) {
        if (dependencies == null || !dependencies.isObject()) {
            return;
        }
        dependencies.fields().forEachRemaining(field -> {
            JsonNode dep = field.getValue();
            String path = parentPath.isEmpty() ? field.getKey() : parentPath + DELIMITER + field.getKey();
            JsonNode version = dep.get("version");
            List<String> requires = new ArrayList<>();
            dep.path("requires").fieldNames().forEachRemaining(requires::add);
            entries.put(path, new Entry(field.getKey(),
                    version != null && version.isValueNode() ? version.asText() : null, requires));
            flatten(dep.get("dependencies"), path);
        });
    }

    private Node node(String path) {
        Entry entry = entries.get(path);
        return new Node(path, entry.name, entry.version);
    }

    private List<Node> children(Node node) {
        if (node.path == null) {
            return List.of();
        }
        List<Node> children = new ArrayList<>();
        for (String name : entries.get(node.path).requires) {
            String found = resolve(node.path, name);
            // The reference names a required package missing from the lockfile "<name>@unknown".
            children.add(found == null ? new Node(null, name, "unknown") : node(found));
        }
        return children;
    }

    /** The nearest entry named {@code name}: inside the requiring entry, then each enclosing level up to the top. */
    private String resolve(String fromPath, String name) {
        String prefix = fromPath;
        while (true) {
            String candidate = prefix.isEmpty() ? name : prefix + DELIMITER + name;
            if (entries.containsKey(candidate)) {
                return candidate;
            }
            if (prefix.isEmpty()) {
                return null;
            }
            int cut = prefix.lastIndexOf(DELIMITER);
            prefix = cut < 0 ? "" : prefix.substring(0, cut);
        }
    }
}
