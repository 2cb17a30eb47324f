package io.cragent.scan.apps.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cragent.scan.output.DepGraph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * yarn.lock of yarn berry (2+), a YAML file with {@code __metadata}: each entry is filed under its descriptors
 * ({@link YarnDescriptors#keys}); a dependency {@code name: range} is the entry {@code name@range}, unless a
 * package.json {@code resolutions} entry redirects it. Only production dependencies of the project are followed.
 */
final class YarnBerryGraph {

    /** {@code lookup} is the entry key tried; {@code entry} null when the lockfile lacks it. */
    private record Node(String lookup, JsonNode entry, DepGraph.Pkg pkg) {
    }

    private final Map<String, JsonNode> entries = new HashMap<>();
    private final Map<String, String> resolutions;

    private YarnBerryGraph(ObjectNode lock, Map<String, String> resolutions) throws LockfileException {
        this.resolutions = resolutions;
        lock.remove("__metadata");
        Iterator<Map.Entry<String, JsonNode>> fields = lock.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            for (String key : YarnDescriptors.keys(field.getKey())) {
                entries.put(key, field.getValue());
            }
        }
    }

    static DepGraph build(PackageManifest manifest, String lockContent) throws LockfileException {
        ObjectNode lock = FailsafeYaml.mapping(lockContent, "yarn.lock");
        YarnBerryGraph lockfile = new YarnBerryGraph(lock, Json.stringMap(manifest.raw().get("resolutions")));
        DepGraph.Pkg root = new DepGraph.Pkg(manifest.nameOrDefault(), manifest.version(), null);
        DepGraph graph = new DepGraph("yarn", null, root);
        List<Node> topLevel = new ArrayList<>();
        for (var dep : manifest.productionDeps(false, false).entrySet()) {
            topLevel.add(lockfile.child(dep.getKey(), dep.getValue().range(), root));
        }
        DependencyWalk.walk(graph, root.id(), topLevel, node -> node.lookup, node -> node.pkg,
                lockfile::children);
        return graph;
    }

    private List<Node> children(Node node) throws LockfileException {
        List<Node> children = new ArrayList<>();
        if (node.entry == null) {
            return children;
        }
        for (String field : List.of("dependencies", "optionalDependencies")) {
            for (var dep : Json.stringMap(node.entry.get(field)).entrySet()) {
                if (PackageManifest.validName(dep.getKey())) {
                    children.add(child(dep.getKey(), dep.getValue(), node.pkg));
                }
            }
        }
        return children;
    }

    private Node child(String name, String range, DepGraph.Pkg parent) throws LockfileException {
        String resolution = resolution(name, range, parent);
        String wanted = resolution == null || resolution.isEmpty() ? range : YarnDescriptors.decode(resolution);
        String lookup = name + "@" + wanted;
        JsonNode entry = entries.get(lookup);
        if (entry == null || !entry.isObject()) {
            return new Node(lookup, null, new DepGraph.Pkg(name, wanted, null));
        }
        return new Node(lookup, entry, new DepGraph.Pkg(name, Json.text(entry, "version"), null));
    }

    /**
     * The {@code resolutions} entry that applies, most specific first: {@code parent/name},
     * {@code parent@range/name}, {@code name@range}, then {@code name}. Ranges are compared as written (the
     * reference also accepts a concrete version that satisfies a range; not modelled).
     */
    private String resolution(String name, String range, DepGraph.Pkg parent) {
        if (resolutions.isEmpty()) {
            return null;
        }
        String scoped = resolutions.get(parent.name() + "/" + name);
        if (scoped != null) {
            return scoped;
        }
        String suffix = "/" + name;
        for (var r : resolutions.entrySet()) {
            String key = r.getKey();
            if (!key.endsWith(suffix)) {
                continue;
            }
            String parentPart = key.substring(0, key.length() - suffix.length());
            if (!parentPart.contains("@") || parentPart.equals(parent.name())) {
                continue;
            }
            YarnDescriptors.Descriptor d = descriptorOrNull(parentPart);
            if (d != null && d.ident().equals(parent.name())
                    && (d.range().equals("unknown") || withoutProtocol(d.range()).equals(parent.version()))) {
                return r.getValue();
            }
        }
        for (var r : resolutions.entrySet()) {
            YarnDescriptors.Descriptor d = descriptorOrNull(r.getKey());
            if (d != null && d.ident().equals(name) && !d.range().equals("unknown")
                    && withoutProtocol(range).equals(withoutProtocol(d.range()))) {
                return r.getValue();
            }
        }
        return resolutions.get(name);
    }

    private static YarnDescriptors.Descriptor descriptorOrNull(String text) {
        try {
            return YarnDescriptors.parse(text);
        } catch (LockfileException e) {
            return null;
        }
    }

    private static String withoutProtocol(String range) {
        return range.replaceFirst("^[a-z]+:", "");
    }
}
