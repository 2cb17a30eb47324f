package io.cragent.scan.apps.php;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.scan.output.DepGraph;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A composer.json + composer.lock pair as {@code @snyk/composer-lockfile-parser} reads it without dev
 * dependencies: every {@code require} name of the manifest, then of each locked package reached; a name the lock
 * does not hold ({@code php}, {@code ext-*}, unlocked packages) is reported with the constraint as its version.
 */
final class ComposerProject {
    private ComposerProject() {
    }

    /** The graph; throws {@link IllegalArgumentException} when the lock has no {@code packages} array. */
    static DepGraph graph(JsonNode manifest, JsonNode lock, String manifestPath) {
        JsonNode packages = lock.path("packages");
        if (!packages.isArray()) {
            throw new IllegalArgumentException("composer.lock has no packages array");
        }
        Map<String, JsonNode> locked = new HashMap<>();
        for (JsonNode pkg : packages) {
            // The parser takes the first locked entry of a name.
            locked.putIfAbsent(pkg.path("name").asText(), pkg);
        }
        String rootName = text(manifest.get("name"));
        String rootVersion = version(manifest);
        DepGraph graph = new DepGraph("composer", null, new DepGraph.Pkg(
                rootName == null || rootName.isEmpty() ? manifestPath : rootName,
                rootVersion == null || rootVersion.isEmpty() ? "0.0.0" : rootVersion, null));

        // Breadth first over locked packages; the reference's depth-first tree reaches the same (name, version) set.
        Set<String> expanded = new HashSet<>();
        if (rootName != null) {
            expanded.add(rootName);
        }
        Deque<Map.Entry<String, JsonNode>> queue = new ArrayDeque<>();
        queue.add(Map.entry("", manifest));
        while (!queue.isEmpty()) {
            Map.Entry<String, JsonNode> parent = queue.poll();
            Iterator<Map.Entry<String, JsonNode>> requires = parent.getValue().path("require").fields();
            while (requires.hasNext()) {
                Map.Entry<String, JsonNode> require = requires.next();
                String name = require.getKey();
                JsonNode lockedPackage = locked.get(name);
                String version = lockedPackage != null ? version(lockedPackage) : text(require.getValue());
                if (version == null) {
                    continue;
                }
                DepGraph.Pkg pkg = new DepGraph.Pkg(name, version.replaceFirst("^v(\\d)", "$1"), null);
                graph.add(pkg);
                if (parent.getKey().isEmpty()) {
                    graph.rootDep(pkg.id());
                } else {
                    graph.edge(parent.getKey(), pkg.id());
                }
                if (lockedPackage != null && expanded.add(name)) {
                    queue.add(Map.entry(pkg.id(), lockedPackage));
                }
            }
        }
        return graph;
    }

    /**
     * The parser's version of a package: a branch alias of its version, the version itself (minus {@code dev-}) when
     * it is an alias target, the version, or else the first alias.
     */
    static String version(JsonNode pkg) {
        String version = text(pkg.get("version"));
        JsonNode aliases = pkg.path("extra").path("branch-alias");
        String found = version == null ? "" : version;
        if (aliases.isObject()) {
            String aliased = text(aliases.get(found));
            if (aliased != null && !aliased.isEmpty()) {
                return aliased;
            }
            String bare = found.replaceFirst("dev-", "");
            Iterator<Map.Entry<String, JsonNode>> entries = aliases.fields();
            String first = null;
            while (entries.hasNext()) {
                Map.Entry<String, JsonNode> alias = entries.next();
                if (bare.equals(alias.getValue().asText()) && !bare.isEmpty()) {
                    return bare;
                }
                if (first == null && !alias.getValue().asText().isEmpty()) {
                    first = alias.getValue().asText();
                }
            }
            if (found.isEmpty()) {
                return first;
            }
        }
        return version;
    }

    private static String text(JsonNode node) {
        return node != null && node.isValueNode() && !node.isNull() ? node.asText() : null;
    }
}
