package io.cragent.scan.apps.node;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cragent.scan.output.DepGraph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * pnpm-lock.yaml (lockfile versions 5.x, 6.x and 9.x): the project's dependencies come from the lockfile's root
 * (or its {@code "."} importer) and each package entry lists its own. Peer suffixes ({@code _peer@1} in v5,
 * {@code (peer@1)} from v6) are not part of a package's identity.
 */
final class PnpmLockGraph {

    /** {@code key} is the resolved {@code name@version} entry key; {@code entry} null when the lockfile lacks it. */
    private record Node(String key, PnpmPackages.Entry entry, DepGraph.Pkg pkg) {
    }

    private final PnpmPackages packages;

    private PnpmLockGraph(PnpmPackages packages) {
        this.packages = packages;
    }

    static DepGraph build(PackageManifest manifest, String content) throws LockfileException {
        if (content.isEmpty()) {
            throw new LockfileException("pnpm-lock.yaml is empty");
        }
        PnpmPackages packages = PnpmPackages.load(mainDocument(content));
        String version = manifest.version() == null ? PnpmPackages.UNDEFINED : manifest.version();
        DepGraph.Pkg root = new DepGraph.Pkg(manifest.nameOrDefault(), version, null);
        DepGraph graph = new DepGraph("pnpm", null, root);
        packages.registerRootProject(manifest.nameOrDefault(), version);
        Map<String, String> locked = packages.topLevelVersions();
        PnpmLockGraph lockfile = new PnpmLockGraph(packages);
        List<Node> topLevel = new ArrayList<>();
        for (String name : manifest.productionDeps(true, false).keySet()) {
            // Out of sync: a dependency the lockfile does not list is left out, as the reference does.
            if (locked.containsKey(name)) {
                topLevel.add(lockfile.child(name, locked.get(name)));
            }
        }
        DependencyWalk.walk(graph, root.id(), topLevel, node -> node.key, node -> node.pkg,
                lockfile::children);
        return graph;
    }

    private List<Node> children(Node node) {
        List<Node> children = new ArrayList<>();
        if (node.entry != null) {
            node.entry.dependencies().forEach((name, version) -> {
                if (PackageManifest.validName(name)) {
                    children.add(child(name, version));
                }
            });
        }
        return children;
    }

    private Node child(String name, String version) {
        String resolvedVersion = packages.withoutPeers(version);
        String key = packages.resolveKey(name, resolvedVersion);
        PnpmPackages.Entry entry = packages.entry(key);
        if (entry == null) {
            String shown = resolvedVersion.isEmpty() ? PnpmPackages.UNDEFINED : resolvedVersion;
            return new Node(key, null, new DepGraph.Pkg(name, shown, null));
        }
        return new Node(key, entry, new DepGraph.Pkg(entry.name(), entry.version(), null));
    }

    /**
     * pnpm 11 may put a settings document before the lockfile proper ({@code ---\n…\n---\n…}); only the second
     * document lists dependencies. An empty remainder means there are none.
     */
    static String mainDocument(String content) {
        String normalized = content.replace("\r\n", "\n");
        String detectable = normalized.startsWith("\uFEFF") ? normalized.substring(1) : normalized;
        if (!detectable.startsWith("---\n")) {
            return normalized;
        }
        int separator = detectable.indexOf("\n---\n", 4);
        return separator < 0 ? normalized : detectable.substring(separator + 5);
    }

    /** An empty dependency document, as pnpm 7 writes when there is nothing to lock. */
    static ObjectNode emptyLockfile() {
        return JsonNodeFactory.instance.objectNode().put("lockfileVersion", "5");
    }
}
