package io.cragent.scan.apps.dotnet;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.scan.output.DepGraph;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A {@code *.deps.json} as the reference reads it: the {@code runtimeTarget.name} target's entries
 * {@code "Name/Version": {dependencies}}; the first entry whose library is a {@code project} is the root, and the
 * graph is what its dependencies reach, names matched case-insensitively with {@code runtimepack.} stripped (a
 * self-contained publish's bundled runtime, which NuGet knows without the prefix).
 */
final class DepsJson {
    private static final String RUNTIME_PACK = "runtimepack.";

    private record Entry(String name, String version, JsonNode dependencies) {
        String id() {
            return name + "@" + version;
        }
    }

    private DepsJson() {
    }

    /** The graph, or null when there is no runtime target, no project entry or no root dependencies object. */
    static DepGraph graph(JsonNode deps) {
        JsonNode targets = deps.get("targets");
        String targetName = deps.path("runtimeTarget").path("name").asText("");
        JsonNode target = targets == null || targetName.isEmpty() ? null : targets.get(targetName);
        JsonNode libraries = deps.get("libraries");
        if (target == null || !target.isObject() || libraries == null || !libraries.isObject()) {
            return null;
        }
        String rootKey = null;
        Map<String, Entry> index = new HashMap<>();
        for (Iterator<String> keys = target.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (rootKey == null && "project".equals(libraries.path(key).path("type").asText(null))) {
                rootKey = key;
            }
            int slash = key.indexOf('/');
            if (slash >= 0) {
                String name = strip(key.substring(0, slash));
                JsonNode dependencies = target.path(key).path("dependencies");
                // Later entries of the same name win, as in the reference's map.
                index.put(name.toLowerCase(Locale.ROOT), new Entry(name, key.substring(slash + 1), dependencies));
            }
        }
        if (rootKey == null) {
            return null;
        }
        JsonNode rootDependencies = target.path(rootKey).get("dependencies");
        if (rootDependencies == null || rootDependencies.isNull() || rootDependencies.isMissingNode()) {
            return null;
        }
        int slash = rootKey.indexOf('/');
        DepGraph graph = new DepGraph("nuget", null, slash < 0 ? new DepGraph.Pkg(rootKey, "0.0.0", null)
                : new DepGraph.Pkg(rootKey.substring(0, slash), rootKey.substring(slash + 1), null));
        Set<String> visited = new HashSet<>();
        for (Iterator<String> names = rootDependencies.fieldNames(); names.hasNext(); ) {
            Entry entry = index.get(strip(names.next()).toLowerCase(Locale.ROOT));
            if (entry != null) {
                graph.rootDep(entry.id());
                walk(graph, entry, index, visited);
            }
        }
        return graph;
    }

    private static void walk(DepGraph graph, Entry entry, Map<String, Entry> index, Set<String> visited) {
        if (!visited.add(entry.id())) {
            return;
        }
        graph.add(new DepGraph.Pkg(entry.name(), entry.version(), null));
        for (Iterator<String> names = entry.dependencies().fieldNames(); names.hasNext(); ) {
            Entry child = index.get(strip(names.next()).toLowerCase(Locale.ROOT));
            if (child != null) {
                graph.edge(entry.id(), child.id());
                walk(graph, child, index, visited);
            }
        }
    }

    private static String strip(String name) {
        return name.startsWith(RUNTIME_PACK) ? name.substring(RUNTIME_PACK.length()) : name;
    }
}
