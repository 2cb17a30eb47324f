package io.cragent.scan.apps.node;

import io.cragent.scan.output.DepGraph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An installed {@code node_modules} tree without a lockfile, read the way snyk-resolve-deps reads it: the folders
 * give the physical tree, each package's dependencies resolve like Node's {@code require} (its own
 * {@code node_modules}, then each enclosing one), and the result is what the owner's package.json needs in
 * production plus every installed package nothing needs ("extraneous"), except packages installed inside a
 * dev-only dependency.
 */
final class NodeModulesTree {
    private static final String NM = "/node_modules/";

    /** One installed package folder (or the owner directory, as root). */
    private static final class Folder {
        final String name;
        final String version;
        final List<String> dependencies;
        final Folder parent;
        final Map<String, Folder> children = new LinkedHashMap<>();

        Folder(String name, String version, List<String> dependencies, Folder parent) {
            this.name = name;
            this.version = version;
            this.dependencies = dependencies;
            this.parent = parent;
        }

        DepGraph.Pkg pkg() {
            return new DepGraph.Pkg(name, version, null);
        }
    }

    private final Folder root;
    private final List<Folder> installed = new ArrayList<>();
    private final Set<String> devOnly = new LinkedHashSet<>();
    private final List<String> production = new ArrayList<>();

    private NodeModulesTree(Folder root) {
        this.root = root;
    }

    /**
     * The graph of the tree owned by {@code owner}, or null when it holds no package.
     *
     * @param manifest  the owner's package.json, or null when there is none
     * @param manifests installed manifests below the owner's node_modules, by path; unreadable ones are skipped
     *                  together with everything installed inside them
     */
    static DepGraph build(String owner, PackageManifest manifest, Map<String, InstalledManifest> manifests) {
        String rootName = manifest != null && manifest.name() != null ? manifest.name() : NodePaths.basename(owner);
        Folder root = new Folder(rootName, manifest == null ? null : manifest.version(), List.of(), null);
        NodeModulesTree tree = new NodeModulesTree(root);
        if (manifest != null) {
            tree.production.addAll(manifest.dependencies().keySet());
            manifest.optionalDependencies().keySet().stream()
                    .filter(n -> !tree.production.contains(n)).forEach(tree.production::add);
            manifest.devDependencies().keySet().stream()
                    .filter(n -> !tree.production.contains(n)).forEach(tree.devOnly::add);
        }
        tree.plant(owner, manifests);
        return tree.graph();
    }

    /** Files the packages under their folders; shallower paths first, so every parent exists before its children. */
    private void plant(String owner, Map<String, InstalledManifest> manifests) {
        Map<String, Folder> byDir = new HashMap<>();
        byDir.put(owner.equals("/") ? "" : owner, root);
        List<String> paths = new ArrayList<>(manifests.keySet());
        paths.sort(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));
        for (String path : paths) {
            InstalledManifest m = manifests.get(path);
            String dir = path.substring(0, path.length() - "/package.json".length());
            int cut = dir.lastIndexOf(NM);
            if (cut < 0 || !m.readable()) {
                continue;
            }
            String folderName = dir.substring(cut + NM.length());
            Folder parent = byDir.get(dir.substring(0, cut));
            if (parent == null || !isPackageFolder(folderName)) {
                continue;
            }
            String name = m.name() != null ? m.name() : NodePaths.basename(dir);
            Folder folder = new Folder(name, m.version(), m.dependencies(), parent);
            if (parent.children.putIfAbsent(name, folder) == null) {
                byDir.put(dir, folder);
                installed.add(folder);
            }
        }
    }

    /** {@code pkg} or {@code @scope/pkg}; npm's helper folders are not packages. */
    private static boolean isPackageFolder(String folderName) {
        int slash = folderName.indexOf('/');
        if (slash >= 0) {
            return folderName.startsWith("@") && folderName.indexOf('/', slash + 1) < 0;
        }
        return !folderName.startsWith("@") && !List.of(".bin", ".DS_Store", "~").contains(folderName);
    }

    private DepGraph graph() {
        Set<Folder> needed = closure(resolveAll(root, production));
        List<String> everything = new ArrayList<>(production);
        everything.addAll(devOnly);
        Set<Folder> used = closure(resolveAll(root, everything));
        List<Folder> extraneous = installed.stream()
                .filter(f -> !used.contains(f) && !insideDevDependency(f)).toList();
        needed.addAll(closure(extraneous));
        if (needed.isEmpty()) {
            return null;
        }
        DepGraph graph = new DepGraph("npm", null, root.pkg());
        String rootId = root.pkg().id();
        for (Folder folder : installed) {
            if (needed.contains(folder) && !folder.pkg().id().equals(rootId)) {
                graph.add(folder.pkg());
            }
        }
        for (Folder dep : resolveAll(root, production)) {
            graph.rootDep(dep.pkg().id());
        }
        for (Folder folder : needed) {
            for (Folder dep : resolveAll(folder, folder.dependencies)) {
                if (needed.contains(dep)) {
                    graph.edge(folder.pkg().id(), dep.pkg().id());
                }
            }
        }
        return graph;
    }

    /** Installed inside (not at) a package the owner needs only for development: the reference drops it. */
    private boolean insideDevDependency(Folder folder) {
        for (Folder f = folder.parent; f != null && f.parent != null; f = f.parent) {
            if (f.parent == root && devOnly.contains(f.name)) {
                return true;
            }
        }
        return false;
    }

    private static List<Folder> resolveAll(Folder from, Collection<String> names) {
        List<Folder> found = new ArrayList<>();
        for (String name : names) {
            Folder dep = resolve(from, name);
            if (dep != null) {
                found.add(dep);
            }
        }
        return found;
    }

    /** Node's lookup: the folder's own node_modules, then each enclosing one up to the owner's. */
    private static Folder resolve(Folder from, String name) {
        for (Folder f = from; f != null; f = f.parent) {
            Folder dep = f.children.get(name);
            if (dep != null) {
                return dep;
            }
        }
        return null;
    }

    private static Set<Folder> closure(Collection<Folder> start) {
        Set<Folder> seen = new LinkedHashSet<>(start);
        Deque<Folder> queue = new ArrayDeque<>(start);
        while (!queue.isEmpty()) {
            Folder folder = queue.poll();
            for (Folder dep : resolveAll(folder, folder.dependencies)) {
                if (seen.add(dep)) {
                    queue.add(dep);
                }
            }
        }
        return seen;
    }
}
