package io.cragent.scan.apps.node;

import io.cragent.scan.apps.AppResult;
import io.cragent.scan.layers.ImageFiles;
import io.cragent.scan.output.DepGraph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * node_modules trees that no lockfile describes, grouped by the directory above the first {@code node_modules}
 * (their owner). Trees of a lockfile project and package manager caches are left out. A pnpm store gives the
 * reference's flat pnpm graph; any other tree is resolved like Node ({@link NodeModulesTree}).
 */
final class InstalledTrees {
    private InstalledTrees() {
    }

    static List<AppResult> analyze(ImageFiles files, Map<String, Set<String>> projectFiles, List<String> warnings) {
        Map<String, Map<String, InstalledManifest>> byOwner = new TreeMap<>();
        List<String> unreadable = new ArrayList<>();
        files.summaries(InstalledManifestSummarizer.NAME).forEach((path, summary) -> {
            if (!(summary instanceof InstalledManifest manifest) || NodePaths.inCache(path)) {
                return;
            }
            if (!manifest.readable()) {
                unreadable.add(path + " (" + manifest.problem() + ")");
            }
            byOwner.computeIfAbsent(NodePaths.owner(path), o -> new TreeMap<>()).put(path, manifest);
        });
        if (!unreadable.isEmpty()) {
            warnings.add("npm: skipped " + unreadable.size() + " unreadable package.json file(s) in node_modules,"
                    + " and what is installed inside those packages, e.g. " + unreadable.get(0));
        }
        List<AppResult> results = new ArrayList<>();
        byOwner.forEach((owner, manifests) -> {
            Set<String> ownerFiles = projectFiles.getOrDefault(owner, Set.of());
            if (LockfileProjects.lockfileOf(ownerFiles).isPresent()) {
                return;
            }
            AppResult result = analyzeTree(files, owner, ownerFiles.contains(NodePaths.MANIFEST), manifests, warnings);
            if (result != null) {
                results.add(result);
            }
        });
        return results;
    }

    private static AppResult analyzeTree(ImageFiles files, String owner, boolean hasManifest,
                                         Map<String, InstalledManifest> manifests, List<String> warnings) {
        String manifestPath = NodePaths.join(owner, NodePaths.MANIFEST);
        PackageManifest manifest = null;
        if (hasManifest) {
            try {
                manifest = PackageManifest.parse(files.file(manifestPath).orElseThrow());
            } catch (LockfileException e) {
                // The reference cannot resolve a tree whose owner manifest is broken.
                warnings.add("npm: skipped " + owner + "/node_modules: " + e.getMessage());
                return null;
            }
        }
        DepGraph pnpm = PnpmStoreGraph.build(manifest, manifests);
        if (pnpm != null) {
            return NodeResults.installedTree("pnpm", manifestPath, pnpm);
        }
        DepGraph graph = NodeModulesTree.build(owner, manifest, manifests);
        if (graph == null) {
            return null;
        }
        // With an owner package.json the reference names the result after it, else after the tree.
        String target = hasManifest ? manifestPath : NodePaths.join(owner, "node_modules");
        return NodeResults.installedTree("npm", target, graph);
    }
}
