package io.cragent.scan.apps.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.scan.output.DepGraph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * package-lock.json v2 and v3 (npm ≥ 7): the flat {@code packages} map keyed by install path. A dependency resolves
 * the way Node does, from the requiring package's folder upwards ({@code a/node_modules/b}, then
 * {@code node_modules/b}); when that finds nothing, any entry of that name is taken, as the reference does.
 */
final class NpmLockV2Graph {
    private static final String NM = "node_modules/";

    /**
     * One resolved dependency: {@code visitId} is the reference's visited-set key ({@code name@version}, or
     * {@code name@range} for one the lockfile lacks); {@code key} is its {@code packages} key, null when missing.
     */
    private record Node(String key, String visitId, DepGraph.Pkg pkg) {
    }

    private final JsonNode packages;
    private final Map<String, List<String>> keysByName = new HashMap<>();
    private final List<Pattern> workspaces;

    private NpmLockV2Graph(JsonNode packages) {
        this.packages = packages;
        packages.fieldNames().forEachRemaining(key -> {
            String folder = key.replaceFirst(".*node_modules/", "");
            if (folder.isEmpty()) {
                return;
            }
            keysByName.computeIfAbsent(folder, k -> new ArrayList<>()).add(key);
            String actual = Json.text(packages.get(key), "name");
            if (actual != null && !actual.equals(folder)) {
                keysByName.computeIfAbsent(actual, k -> new ArrayList<>()).add(key);
            }
        });
        this.workspaces = workspacePatterns(packages.path(""));
    }

    static DepGraph build(PackageManifest manifest, JsonNode lock) throws LockfileException {
        JsonNode packages = lock.get("packages");
        if (packages == null || !packages.isObject()) {
            throw new LockfileException("package-lock.json has no \"packages\" map");
        }
        NpmLockV2Graph lockfile = new NpmLockV2Graph(packages);
        DepGraph.Pkg root = new DepGraph.Pkg(manifest.nameOrDefault(), manifest.version(), null);
        DepGraph graph = new DepGraph("npm", null, root);
        List<Node> topLevel = new ArrayList<>();
        manifest.productionDeps(true, true).forEach((name, dep) ->
                topLevel.add(lockfile.child(name, dep.range(), dep.optional(), "")));
        DependencyWalk.walk(graph, root.id(), topLevel, node -> node.visitId, node -> node.pkg,
                lockfile::children);
        return graph;
    }

    private List<Node> children(Node node) {
        if (node.key == null) {
            return List.of();
        }
        List<Node> children = new ArrayList<>();
        JsonNode entry = packages.get(node.key);
        Json.stringMap(entry.get("dependencies")).forEach((name, range) -> {
            if (PackageManifest.validName(name)) {
                children.add(child(name, range, false, node.key));
            }
        });
        Json.stringMap(entry.get("optionalDependencies")).forEach((name, range) -> {
            if (PackageManifest.validName(name)) {
                children.add(child(name, range, true, node.key));
            }
        });
        return children;
    }

    private Node child(String name, String range, boolean optional, String parentKey) {
        String key = resolve(name, parentKey);
        if (key == null) {
            // A bundled dependency has no entry of its own: the reference reports it without a version.
            boolean bundled = !optional && bundles(parentKey, name);
            return new Node(null, name + "@" + range, new DepGraph.Pkg(name, bundled ? null : range, null));
        }
        JsonNode entry = packages.get(key);
        if (entry.path("link").asBoolean(false) && isWorkspace(Json.text(entry, "resolved"))) {
            String target = Json.text(entry, "resolved");
            if (packages.has(target)) {
                key = target;
                entry = packages.get(key);
            }
        }
        String actualName = Json.text(entry, "name");
        if (actualName == null) {
            actualName = aliasTarget(name, range);
        }
        JsonNode versionNode = entry.get("version");
        String version = versionNode != null && versionNode.isValueNode() ? versionNode.asText() : null;
        return new Node(key, actualName + "@" + version, new DepGraph.Pkg(actualName, version, null));
    }

    /** Node's lookup from the parent's folder upwards, else any entry installed under that name. */
    private String resolve(String name, String parentKey) {
        String base = parentKey;
        while (true) {
            String candidate = base.isEmpty() ? NM + name : base + "/" + NM + name;
            if (packages.has(candidate)) {
                return candidate;
            }
            if (base.isEmpty()) {
                break;
            }
            int cut = base.lastIndexOf("/" + NM);
            base = cut < 0 ? "" : base.substring(0, cut);
        }
        List<String> candidates = keysByName.get(name);
        return candidates == null ? null : candidates.get(0);
    }

    private boolean bundles(String parentKey, String name) {
        JsonNode parent = packages.get(parentKey);
        if (parentKey.isEmpty() || parent == null) {
            return false;
        }
        JsonNode bundled = parent.has("bundleDependencies") ? parent.get("bundleDependencies")
                : parent.get("bundledDependencies");
        if (bundled == null || !bundled.isArray()) {
            return false;
        }
        for (JsonNode b : bundled) {
            if (name.equals(b.asText())) {
                return true;
            }
        }
        return false;
    }

    /** {@code "alias": "npm:real@^1"} installs {@code real} under the folder {@code alias}. */
    private static String aliasTarget(String name, String range) {
        String target = range == null ? null : NpmAlias.target(range);
        return target == null || target.isEmpty() ? name : target;
    }

    private boolean isWorkspace(String resolved) {
        if (resolved == null) {
            return false;
        }
        String path = resolved.replace('\\', '/');
        return workspaces.stream().anyMatch(p -> p.matcher(path).matches());
    }

    /** The root entry's {@code workspaces} (an array, or {@code {packages: [...]}}) as path globs. */
    private static List<Pattern> workspacePatterns(JsonNode root) {
        JsonNode declared = root.path("workspaces");
        if (declared.has("packages")) {
            declared = declared.get("packages");
        }
        List<Pattern> patterns = new ArrayList<>();
        if (declared.isArray()) {
            declared.forEach(g -> patterns.add(Glob.toPattern(g.asText())));
        }
        return patterns;
    }
}
